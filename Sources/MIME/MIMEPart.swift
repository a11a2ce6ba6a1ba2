/// One part of a message (the message itself when it is not multipart): its header, its content type, and either its
/// parts (a multipart container) or its body as sent.
public struct MIMEPart: Sendable, Equatable {
    /// Where the part is in the message, as IMAP numbers body parts (RFC 3501 §6.4.5): `1`, `2`, `1.3`. A message
    /// that is not multipart is part `1`; a multipart container is numbered like a part (the message's own is ``root``,
    /// empty).
    public var id: String
    /// The part's own header fields (those of the message, for the message's part).
    public var header: MIMEHeader
    /// Content-Type, lowercased (`text/plain` when absent, as RFC 2045 says).
    public var contentType: String
    /// Content-Type's parameters (`charset`, `boundary`, `name`).
    public var contentTypeParameters: [String: String]
    /// The parts of a multipart container; empty for any other part.
    public var parts: [MIMEPart]
    /// The body as sent (transfer encoding not undone); empty for a container.
    public var rawBody: ArraySlice<UInt8>

    /// The message's id: the whole message, before any part.
    public static let root = ""

    /// Whether the part holds parts.
    public var isMultipart: Bool {
        self.contentType.hasPrefix("multipart/")
    }

    /// The body with its transfer encoding undone.
    public var decodedBody: [UInt8] {
        MIMETransferEncoding.decode(self.rawBody, encoding: self.header["Content-Transfer-Encoding"] ?? "")
    }

    /// The body as text: transfer encoding undone, read in its charset (UTF-8 when it names none or one unknown).
    public var text: String {
        MIMECharset.text(self.decodedBody, charset: self.contentTypeParameters["charset"] ?? "utf-8")
    }

    /// Content-Disposition, lowercased (`inline`, `attachment`), and its parameters; `nil` when absent.
    public var disposition: MIMEParameterizedValue? {
        self.header["Content-Disposition"].map(MIMEParameterizedValue.init)
    }

    /// The file name: Content-Disposition's `filename`, else Content-Type's `name` (RFC 2231 and RFC 2047 decoded).
    public var fileName: String? {
        let name = self.disposition?.parameters["filename"] ?? self.contentTypeParameters["name"]
        return name.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Content-ID without its angle brackets.
    public var contentID: String? {
        self.header["Content-ID"].map { value in
            var id = String(value.trimmingSpaces)
            if id.hasPrefix("<") { id.removeFirst() }
            if id.hasSuffix(">") { id.removeLast() }
            return id
        }
    }

    /// Every part that is no container, in order, this one included when it is not one.
    public var leaves: [MIMEPart] {
        self.isMultipart ? self.parts.flatMap(\.leaves) : [self]
    }

    /// The part with `id`, this one or one within.
    public func part(id: String) -> MIMEPart? {
        if self.id == id { return self }
        for part in self.parts where id == part.id || id.hasPrefix(part.id + ".") {
            return part.part(id: id)
        }
        return nil
    }

    /// Reads a part from its bytes (header, empty line, body) with `id`, its parts numbered below it; `count` is how
    /// many parts the message has so far, checked against `limits`.
    static func read(
        _ bytes: ArraySlice<UInt8>,
        id: String,
        depth: Int,
        count: inout Int,
        limits: MIMELimits,
        defaultType: String = "text/plain"
    ) throws -> MIMEPart {
        count += 1
        guard count <= limits.maximumParts else { throw MIMEError.tooManyParts(limit: limits.maximumParts) }
        let (headerBytes, body) = MIMEHeader.split(bytes)
        let header = MIMEHeader(headerBytes)
        let contentType = MIMEParameterizedValue(header["Content-Type"] ?? defaultType)
        var type = contentType.value.isEmpty || !contentType.value.contains("/") ? defaultType : contentType.value
        let boundary = contentType.parameters["boundary"] ?? ""
        // A multipart part without a boundary cannot be cut: it is read as text, what RFC 2045 says of the unreadable.
        if type.hasPrefix("multipart/"), boundary.isEmpty { type = "text/plain" }
        guard type.hasPrefix("multipart/") else {
            return MIMEPart(
                id: id.isEmpty ? "1" : id,
                header: header,
                contentType: type,
                contentTypeParameters: contentType.parameters,
                parts: [],
                rawBody: body
            )
        }
        guard depth < limits.maximumDepth else { throw MIMEError.tooDeep(limit: limits.maximumDepth) }
        var parts: [MIMEPart] = []
        // In multipart/digest a part without Content-Type is a message (RFC 2046 §5.1.5).
        let childType = type == "multipart/digest" ? "message/rfc822" : "text/plain"
        for (index, partBytes) in MIMEMultipart.parts(body, boundary: boundary).enumerated() {
            let childID = id.isEmpty ? "\(index + 1)" : "\(id).\(index + 1)"
            parts.append(try MIMEPart.read(partBytes, id: childID, depth: depth + 1, count: &count, limits: limits, defaultType: childType))
        }
        return MIMEPart(id: id, header: header, contentType: type, contentTypeParameters: contentType.parameters, parts: parts, rawBody: [])
    }
}
