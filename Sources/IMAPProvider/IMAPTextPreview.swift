internal import IMAP
internal import MIME

/// The preview of a message whose server offers no PREVIEW (Gmail): read from the first bytes of the body, the first
/// text part of it (plain text first, else HTML without its tags), its transfer encoding and charset undone. Never
/// fails: what it cannot read leaves the preview empty.
enum IMAPTextPreview {
    /// What to fetch: the content headers and the body's first bytes.
    static let items = ["BODY.PEEK[HEADER.FIELDS (CONTENT-TYPE CONTENT-TRANSFER-ENCODING)]", "BODY.PEEK[TEXT]<0.2048>"]
    /// The longest preview, in characters (Outlook's is 255).
    static let length = 255

    /// The preview of what ``items`` fetched; empty when they were not fetched.
    static func preview(of attributes: IMAPMessageAttributes) -> String {
        guard let header = attributes.sections.first(where: { $0.key.hasPrefix("BODY[HEADER") })?.value,
            let text = attributes.sections.first(where: { $0.key.hasPrefix("BODY[TEXT]") })?.value
        else { return "" }
        return Self.preview(header: header, body: text, depth: 0)
    }

    /// The preview of a body under its header (a message's, or a part's), read with the MIME module.
    static func preview(header: [UInt8], body: [UInt8], depth: Int = 0) -> String {
        Self.preview(header: MIMEHeader(header), body: body[...], depth: depth)
    }

    private static func preview(header: MIMEHeader, body: ArraySlice<UInt8>, depth: Int) -> String {
        let contentType = MIMEParameterizedValue(header["Content-Type"] ?? "text/plain")
        let type = contentType.value
        if type.hasPrefix("multipart/") {
            guard depth < 3, let boundary = contentType.parameters["boundary"], !boundary.isEmpty else { return "" }
            var html: String?
            for part in MIMEMultipart.parts(body, boundary: boundary) {
                let (partHeaderBytes, partBody) = MIMEHeader.split(part)
                let partHeader = MIMEHeader(partHeaderBytes)
                let partType = MIMEParameterizedValue(partHeader["Content-Type"] ?? "text/plain").value
                if partType == "text/plain" || partType.hasPrefix("multipart/") {
                    let text = Self.preview(header: partHeader, body: partBody, depth: depth + 1)
                    if !text.isEmpty { return text }
                } else if partType == "text/html", html == nil {
                    html = Self.preview(header: partHeader, body: partBody, depth: depth + 1)
                }
            }
            return html ?? ""
        }
        guard type == "text/plain" || type == "text/html" else { return "" }
        let bytes = MIMETransferEncoding.decode(body, encoding: header["Content-Transfer-Encoding"] ?? "")
        var text = MIMECharset.text(bytes, charset: contentType.parameters["charset"] ?? "")
        if type == "text/html" { text = HTMLText.plainText(text) }
        let words = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return String(words.prefix(Self.length))
    }
}
