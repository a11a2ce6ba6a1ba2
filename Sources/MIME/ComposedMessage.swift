public import Foundation

/// A message to send, rendered with ``render()`` to RFC 5322 bytes (CR LF line ends, lines within 78 characters,
/// non-ASCII header text as RFC 2047 encoded words, bodies quoted-printable UTF-8 and attachments base64). Bcc is a
/// list of recipients only: it is never written.
public struct ComposedMessage: Sendable, Equatable {
    /// The sender (From), whose address is SMTP's MAIL FROM and whose domain the generated Message-ID's.
    public var from: MIMEAddress
    /// To's recipients.
    public var to: [MIMEAddress]
    /// Cc's recipients.
    public var cc: [MIMEAddress]
    /// Recipients no other recipient sees: in ``recipients``, never in the header.
    public var bcc: [MIMEAddress]
    /// Where answers go (Reply-To), when not to the sender.
    public var replyTo: [MIMEAddress]
    /// The subject, any text.
    public var subject: String
    /// The text, plain or HTML.
    public var body: ComposedBody
    /// Files sent with it (multipart/mixed, base64).
    public var attachments: [ComposedAttachment]
    /// Message-ID with angle brackets (`<random@domain>`): made from the sender's domain unless given.
    public var messageID: String
    /// Date, written in UTC.
    public var date: Date
    /// The message this one answers (its Message-ID, with angle brackets).
    public var inReplyTo: String?
    /// The thread's Message-IDs, oldest first, with angle brackets.
    public var references: [String]
    /// Further header fields, written after the others.
    public var extraHeaders: [MIMEField]

    /// A message; `messageID` `nil` makes one (``makeMessageID(for:)``).
    public init(
        from: MIMEAddress,
        to: [MIMEAddress] = [],
        cc: [MIMEAddress] = [],
        bcc: [MIMEAddress] = [],
        replyTo: [MIMEAddress] = [],
        subject: String,
        body: ComposedBody,
        attachments: [ComposedAttachment] = [],
        messageID: String? = nil,
        date: Date = Date(),
        inReplyTo: String? = nil,
        references: [String] = [],
        extraHeaders: [MIMEField] = []
    ) {
        self.from = from
        self.to = to
        self.cc = cc
        self.bcc = bcc
        self.replyTo = replyTo
        self.subject = subject
        self.body = body
        self.attachments = attachments
        self.messageID = messageID ?? Self.makeMessageID(for: from)
        self.date = date
        self.inReplyTo = inReplyTo
        self.references = references
        self.extraHeaders = extraHeaders
    }

    /// Every recipient's address, To, Cc and Bcc, each once: what SMTP's RCPT TO names.
    public var recipients: [String] {
        var seen: Set<String> = []
        return (self.to + self.cc + self.bcc).map(\.address).filter { seen.insert($0.lowercased()).inserted }
    }

    /// `<random@domain>`, the domain the sender's (`localhost` when it has none).
    public static func makeMessageID(for sender: MIMEAddress) -> String {
        let domain = sender.address.split(separator: "@").last.map(String.init).flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        let random = (0..<16).map { _ in String(UInt8.random(in: 0...255), radix: 16) }.joined()
        return "<\(random).\(UInt64(Date().timeIntervalSince1970))@\(domain)>"
    }

    /// The message as bytes to send. Throws ``MIMEError/lineBreakInHeader(field:)`` for a CR, LF or NUL in any
    /// header value, address or name (a header of its own would follow), ``MIMEError/invalidAddress(_:)`` for an
    /// address that is not printable-ASCII `local@domain`.
    public func render() throws -> [UInt8] {
        var writer = MIMEHeaderWriter()
        try writer.addresses("From", [self.from])
        if !self.replyTo.isEmpty { try writer.addresses("Reply-To", self.replyTo) }
        if !self.to.isEmpty { try writer.addresses("To", self.to) }
        if !self.cc.isEmpty { try writer.addresses("Cc", self.cc) }
        try writer.text("Subject", self.subject)
        try writer.structured("Date", Self.dateText(self.date))
        try writer.structured("Message-ID", self.messageID)
        if let inReplyTo { try writer.structured("In-Reply-To", inReplyTo) }
        if !self.references.isEmpty { try writer.structured("References", self.references.joined(separator: " ")) }
        for field in self.extraHeaders { try writer.text(field.name, field.value) }
        try writer.structured("MIME-Version", "1.0")
        var bytes = writer.bytes
        bytes += self.renderContent()
        return bytes
    }

    /// The content's header fields (Content-Type onwards), an empty line, and the body.
    private func renderContent() -> [UInt8] {
        let text: [UInt8]
        switch self.body {
        case .text(let plain):
            text = Self.textPart(plain, subtype: "plain")
        case .html(let html):
            let boundary = Self.boundary()
            text = Self.multipart(
                "alternative",
                boundary: boundary,
                parts: [Self.textPart(HTMLText.plainText(html), subtype: "plain"), Self.textPart(html, subtype: "html")]
            )
        }
        guard !self.attachments.isEmpty else { return text }
        return Self.multipart("mixed", boundary: Self.boundary(), parts: [text] + self.attachments.map(Self.attachmentPart))
    }

    private static func textPart(_ text: String, subtype: String) -> [UInt8] {
        Array("Content-Type: text/\(subtype); charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n".utf8)
            + MIMETransferEncoding.encodeQuotedPrintable(text)
    }

    private static func attachmentPart(_ attachment: ComposedAttachment) -> [UInt8] {
        let type =
            attachment.contentType.allSatisfy { $0.isASCII && !$0.isWhitespace && $0 != ";" && !$0.isNewline } && attachment.contentType.contains("/")
            ? attachment.contentType.lowercased() : "application/octet-stream"
        var header = "Content-Type: \(type);\r\n\(MIMEHeaderWriter.parameter("name", attachment.fileName))\r\n"
        let disposition = attachment.contentID == nil ? "attachment" : "inline"
        header += "Content-Disposition: \(disposition);\r\n\(MIMEHeaderWriter.parameter("filename", attachment.fileName))\r\n"
        if let contentID = attachment.contentID, MIMEHeaderWriter.isSafe(contentID) { header += "Content-ID: <\(contentID)>\r\n" }
        header += "Content-Transfer-Encoding: base64\r\n\r\n"
        return Array(header.utf8) + MIMETransferEncoding.encodeBase64(attachment.bytes)
    }

    /// A multipart container's content header and body: each part (its own header and body) after a delimiter.
    private static func multipart(_ subtype: String, boundary: String, parts: [[UInt8]]) -> [UInt8] {
        var bytes = Array("Content-Type: multipart/\(subtype);\r\n boundary=\"\(boundary)\"\r\n\r\n".utf8)
        // The line break before a delimiter is the delimiter's (RFC 2046 §5.1.1), not the part's.
        for part in parts { bytes += Array("--\(boundary)\r\n".utf8) + part + [0x0D, 0x0A] }
        bytes += Array("--\(boundary)--\r\n".utf8)
        return bytes
    }

    /// A boundary no quoted-printable or base64 line can hold (`=_` is in neither).
    private static func boundary() -> String {
        "=_mailpulse_" + (0..<12).map { _ in String(UInt8.random(in: 0...255), radix: 16) }.joined()
    }

    /// RFC 5322's date (`Wed, 25 Nov 2026 10:00:00 +0000`), in UTC.
    static func dateText(_ date: Date) -> String {
        let fields = UTCDateFields(date)
        return "\(fields.weekday), \(fields.day) \(fields.month) \(fields.year) \(fields.time) +0000"
    }
}
