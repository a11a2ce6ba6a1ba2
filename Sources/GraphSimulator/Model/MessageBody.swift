internal import Foundation

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
        case .text: return MessageBody(contentType: .text, content: Self.text(fromHTML: self.content))
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

    /// HTML as plain text: tags, comments, `<head>`, `<style>` and `<script>` dropped, line-breaking tags kept as
    /// line breaks, the common entities decoded.
    static func text(fromHTML html: String) -> String {
        var text = ""
        var index = html.startIndex
        while index < html.endIndex {
            let character = html[index]
            guard character == "<" else {
                text.append(character)
                index = html.index(after: index)
                continue
            }
            if html[index...].hasPrefix("<!--") {
                index = html[index...].range(of: "-->")?.upperBound ?? html.endIndex
                continue
            }
            guard let close = html[index...].firstIndex(of: ">") else { break }
            let tag = html[html.index(after: index)..<close].lowercased()
            let name = String(tag.prefix { $0.isLetter || $0.isNumber || $0 == "/" })
            index = html.index(after: close)
            // Whatever is inside these is never shown.
            if ["head", "style", "script", "title"].contains(name) {
                index =
                    html[index...].range(of: "</\(name)", options: .caseInsensitive)
                    .flatMap { html[$0.upperBound...].firstIndex(of: ">") }
                    .map { html.index(after: $0) } ?? html.endIndex
                continue
            }
            if ["br", "br/", "/p", "/div", "/tr", "/li", "/h1", "/h2", "/h3", "hr"].contains(name) {
                text += "\r\n"
            }
        }
        return Self.decodeEntities(text)
    }

    /// Plain text as the HTML Outlook makes of it: escaped, line breaks as `<br>`, in a document frame.
    static func html(fromText text: String) -> String {
        let escaped = Self.escape(text).replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "<br>\r\n")
        return "<html>\r\n<head>\r\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\r\n</head>\r\n<body>\r\n"
            + escaped + "\r\n</body>\r\n</html>\r\n"
    }

    /// `&`, `<`, `>` and quotes escaped for HTML text and attributes.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    private static let entities = ["&nbsp;": " ", "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#39;": "'", "&apos;": "'"]

    private static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var decoded = text
        for (entity, character) in Self.entities {
            decoded = decoded.replacingOccurrences(of: entity, with: character)
        }
        // Last, so an escaped entity (`&amp;lt;`) stays text.
        return decoded.replacingOccurrences(of: "&amp;", with: "&")
    }
}
