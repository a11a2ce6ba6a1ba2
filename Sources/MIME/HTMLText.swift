internal import Foundation

/// HTML as plain text, for a message's text alternative and for previews: style, script and head dropped, tags
/// removed (block ends and `<br>` become line breaks), the common entities and numeric references read.
public enum HTMLText {
    /// The text of `html`; runs of spaces within a line collapsed, at most one empty line in a row.
    public static func plainText(_ html: String) -> String {
        var text = html
        while let open = text.range(of: "<!--") {
            text.removeSubrange(open.lowerBound..<(text.range(of: "-->", range: open.upperBound..<text.endIndex)?.upperBound ?? text.endIndex))
        }
        for element in ["style", "script", "head", "title"] {
            while let open = text.range(of: "<\(element)", options: .caseInsensitive),
                let close = text.range(of: "</\(element)>", options: .caseInsensitive, range: open.upperBound..<text.endIndex)
            {
                text.removeSubrange(open.lowerBound..<close.upperBound)
            }
        }
        var result = ""
        var tag: String?
        for character in text {
            if tag != nil {
                if character == ">" {
                    result += Self.breaks(tag ?? "")
                    tag = nil
                } else {
                    tag?.append(character)
                }
            } else if character == "<" {
                tag = ""
            } else if character == "\r\n" || character == "\n" || character == "\r" || character == "\t" {
                result.append(" ")
            } else {
                result.append(character)
            }
        }
        return Self.tidy(Self.entitiesRead(result))
    }

    /// `text` safe inside HTML text and quoted attributes: `&`, `<`, `>` and both quotes escaped.
    public static func escaped(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
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

    /// What a tag leaves in the text: a line break for `<br>` and the end of a block, a space between cells, nothing
    /// for inline elements.
    private static func breaks(_ tag: String) -> String {
        let name = tag.lowercased().split(whereSeparator: { $0 == " " || $0 == "/" || $0 == "\n" }).first.map(String.init) ?? ""
        let isEnd = tag.hasPrefix("/")
        if name == "br" { return "\n" }
        if ["p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote", "ul", "ol", "hr"].contains(name) {
            return isEnd || name == "li" || name == "tr" || name == "hr" ? "\n" : " "
        }
        // Cells stay apart; inline elements (b, i, span, a) are part of the words around them.
        return ["td", "th", "img"].contains(name) ? " " : ""
    }

    private static func entitiesRead(_ text: String) -> String {
        guard text.contains("&") else { return text }
        let named: [String: String] = ["nbsp": " ", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "amp": "&", "mdash": "—", "ndash": "–"]
        var result = ""
        var rest = Substring(text)
        while let ampersand = rest.firstIndex(of: "&") {
            result += rest[..<ampersand]
            let after = rest[rest.index(after: ampersand)...]
            if let semicolon = after.prefix(10).firstIndex(of: ";") {
                let name = String(after[..<semicolon])
                var replacement: String?
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    replacement = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
                } else if name.hasPrefix("#") {
                    replacement = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
                } else {
                    replacement = named[name.lowercased()]
                }
                if let replacement {
                    result += replacement
                    rest = after[after.index(after: semicolon)...]
                    continue
                }
            }
            result.append("&")
            rest = after
        }
        return result + rest
    }

    /// Spaces collapsed within lines, lines trimmed, blank lines at most one in a row.
    private static func tidy(_ text: String) -> String {
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\u{A0}" }).joined(separator: " ")
            if words.isEmpty, lines.last?.isEmpty ?? true { continue }
            lines.append(words)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }
}
