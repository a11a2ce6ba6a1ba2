/// A whole message (RFC 5322 with MIME) read into its tree of parts: the header fields people read, the body to show,
/// and the attachments. Reading never fails on what a message holds (garbage reads as text); it fails only past
/// ``MIMELimits``.
public struct MIMEMessage: Sendable {
    /// The message's header.
    public let header: MIMEHeader
    /// The message as a part: the container of a multipart message (id ``MIMEPart/root``), else its one part (`1`).
    public let root: MIMEPart

    /// Reads a message from its bytes (CR LF or LF line ends).
    public init(_ bytes: [UInt8], limits: MIMELimits = MIMELimits()) throws {
        guard bytes.count <= limits.maximumSize else { throw MIMEError.tooLarge(size: bytes.count, limit: limits.maximumSize) }
        var count = 0
        self.root = try MIMEPart.read(bytes[...], id: MIMEPart.root, depth: 0, count: &count, limits: limits)
        self.header = self.root.header
    }

    /// Subject, encoded words decoded; empty when there is none.
    public var subject: String {
        EncodedWords.decode(self.header["Subject"] ?? "")
    }

    /// From's addresses (usually one).
    public var from: [MIMEAddress] { self.addresses("From") }
    /// To's addresses.
    public var to: [MIMEAddress] { self.addresses("To") }
    /// Cc's addresses.
    public var cc: [MIMEAddress] { self.addresses("Cc") }
    /// Bcc's addresses (only a copy kept by its sender has them).
    public var bcc: [MIMEAddress] { self.addresses("Bcc") }
    /// Reply-To's addresses.
    public var replyTo: [MIMEAddress] { self.addresses("Reply-To") }

    /// Message-ID with its angle brackets (`<id@host>`); `nil` when there is none.
    public var messageID: String? {
        Self.messageIDs(self.header["Message-ID"] ?? "").first
    }

    /// In-Reply-To's message ids, with angle brackets.
    public var inReplyTo: [String] {
        Self.messageIDs(self.header["In-Reply-To"] ?? "")
    }

    /// References' message ids, oldest first, with angle brackets.
    public var references: [String] {
        Self.messageIDs(self.header["References"] ?? "")
    }

    /// Date as sent (RFC 5322 §3.3); `nil` when there is none.
    public var date: String? {
        self.header["Date"]
    }

    /// The body to show: the HTML of a multipart/alternative when it has some, else its plain text; in a mixed or
    /// related message, the first such body; `nil` when the message has no text to show.
    public var body: MIMEBody? {
        Self.bodyPart(of: self.root).map { part in
            MIMEBody(contentType: part.contentType == "text/html" ? "html" : "text", content: part.text, partID: part.id)
        }
    }

    /// Every part that is no container and not the shown body (nor the body's other alternatives), in order.
    public var attachments: [MIMEAttachment] {
        self.attachmentsWithBytes.map(\.attachment)
    }

    /// Every attachment with its bytes (transfer encoding undone), each part decoded once.
    public var attachmentsWithBytes: [(attachment: MIMEAttachment, bytes: [UInt8])] {
        let (parts, html) = self.attachmentParts
        return parts.map { part in
            let bytes = part.decodedBody
            return (Self.attachment(part, size: bytes.count, html: html), bytes)
        }
    }

    /// One attachment with its bytes, only that part decoded; `nil` when `id` names no attachment.
    public func attachment(id: String) -> (attachment: MIMEAttachment, bytes: [UInt8])? {
        let (parts, html) = self.attachmentParts
        guard let part = parts.first(where: { $0.id == id }) else { return nil }
        let bytes = part.decodedBody
        return (Self.attachment(part, size: bytes.count, html: html), bytes)
    }

    /// The attachments' parts, and the shown HTML body their content ids may be referenced from.
    private var attachmentParts: (parts: [MIMEPart], html: String) {
        let shown = Self.bodyPart(of: self.root)
        let alternatives = shown.map { Set(Self.alternatives(of: $0.id, in: self.root)) } ?? []
        let html = shown.flatMap { $0.contentType == "text/html" ? $0.text : nil } ?? ""
        return (self.root.leaves.filter { $0.id != shown?.id && !alternatives.contains($0.id) }, html)
    }

    /// What a part says of itself as an attachment: inline when marked so with a content id, or referenced from `html`.
    private static func attachment(_ part: MIMEPart, size: Int, html: String) -> MIMEAttachment {
        let contentID = part.contentID
        let referenced = contentID.map { !$0.isEmpty && html.contains("cid:\($0)") } ?? false
        let inlineWithID = part.disposition?.value == "inline" && contentID != nil
        return MIMEAttachment(
            id: part.id,
            fileName: part.fileName,
            contentType: part.contentType,
            size: size,
            isInline: inlineWithID || referenced,
            contentID: contentID
        )
    }

    /// The bytes of the part `id` (an attachment's), transfer encoding undone; `nil` when there is no such part or it
    /// is a container.
    public func attachmentData(id: String) -> [UInt8]? {
        guard let part = self.root.part(id: id), !part.isMultipart else { return nil }
        return part.decodedBody
    }

    private func addresses(_ name: String) -> [MIMEAddress] {
        self.header.values(name).flatMap(MIMEAddress.list)
    }

    /// The `<…>` ids in a header value.
    private static func messageIDs(_ value: String) -> [String] {
        var ids: [String] = []
        var rest = Substring(value)
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
            ids.append(String(rest[open...close]))
            rest = rest[rest.index(after: close)...]
        }
        // Some senders leave the brackets off a lone id.
        if ids.isEmpty, !value.trimmingSpaces.isEmpty, !value.contains(" ") { ids.append("<\(value.trimmingSpaces)>") }
        return ids
    }

    /// Whether a part is text to show: plain or HTML, not marked as an attachment.
    private static func isText(_ part: MIMEPart) -> Bool {
        (part.contentType == "text/plain" || part.contentType == "text/html") && part.disposition?.value != "attachment"
    }

    /// The part to show within `part`.
    private static func bodyPart(of part: MIMEPart) -> MIMEPart? {
        guard part.isMultipart else { return Self.isText(part) ? part : nil }
        if part.contentType == "multipart/alternative" {
            let candidates = part.parts.compactMap(Self.bodyPart(of:))
            return candidates.last { $0.contentType == "text/html" } ?? candidates.last
        }
        // mixed, related, signed, …: the first part is the body, unless it has none (an attachment came first).
        for child in part.parts {
            if let body = Self.bodyPart(of: child) { return body }
        }
        return nil
    }

    /// The leaves of the multipart/alternative holding the part `id` (its other renderings), `id` included.
    private static func alternatives(of id: String, in part: MIMEPart) -> [String] {
        for child in part.parts {
            guard child.id == id || id.hasPrefix(child.id + ".") else { continue }
            if part.contentType == "multipart/alternative" {
                return part.leaves.filter(Self.isText).map(\.id)
            }
            return Self.alternatives(of: id, in: child)
        }
        return []
    }
}
