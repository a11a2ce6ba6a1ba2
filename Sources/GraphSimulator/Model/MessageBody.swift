internal import Foundation
internal import MIME

/// A message's `itemBody`: its content and whether that is HTML or plain text.
struct MessageBody: Sendable, Equatable {
    /// Graph's `bodyType`.
    enum ContentType: String, Sendable {
        case text
        case html
    }

    var contentType: ContentType
    var content: String

    static let empty = MessageBody(contentType: .text, content: "")

    /// The body in the other type when asked: HTML loses its tags, text is escaped and wrapped.
    func converted(to type: ContentType) -> MessageBody {
        guard type != self.contentType else { return self }
        switch type {
        case .text: return MessageBody(contentType: .text, content: Self.text(fromHTML: self.content) + "\r\n")
        case .html: return MessageBody(contentType: .html, content: Self.html(fromText: self.content))
        }
    }

    /// What Graph gives as `bodyPreview`: the text, trimmed, cut at 255 characters.
    var preview: String {
        // A short text body is its own preview: shared, not copied (seeded mailboxes hold 100,000 of them).
        if self.contentType == .text, self.content.utf8.count <= 255, self.content.first?.isWhitespace != true,
            self.content.last?.isWhitespace != true
        {
            return self.content
        }
        let text = self.contentType == .html ? Self.text(fromHTML: self.content) : self.content
        return String(text.trimmingCharacters(in: .whitespacesAndNewlines).prefix(255))
    }

    /// The body's HTML without its `<html>`/`<head>` frame: what a reply or forward quotes inside its own.
    var innerHTML: String {
        let html = self.converted(to: .html).content
        guard let open = html.range(of: "<body", options: .caseInsensitive),
            let openEnd = html[open.upperBound...].firstIndex(of: ">")
        else { return html }
        let rest = html[html.index(after: openEnd)...]
        let close = rest.range(of: "</body>", options: [.caseInsensitive, .backwards])?.lowerBound ?? rest.endIndex
        return String(rest[..<close])
    }

    /// HTML as Outlook's plain text: its visible text, lines ending in CRLF.
    static func text(fromHTML html: String) -> String {
        HTMLText.plainText(html).replacingOccurrences(of: "\n", with: "\r\n")
    }

    /// Plain text as the HTML Outlook makes of it: escaped, line breaks as `<br>`, in a document frame.
    static func html(fromText text: String) -> String {
        let escaped = HTMLText.escaped(text).replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "<br>\r\n")
        return Self.document(escaped)
    }

    /// `inner` in the document frame Outlook writes around an HTML body.
    static func document(_ inner: String) -> String {
        "<html>\r\n<head>\r\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\r\n</head>\r\n<body>\r\n"
            + inner + "\r\n</body>\r\n</html>\r\n"
    }

}
