internal import Foundation

/// HTML read as plain text, for search words and previews: what a reader sees, without markup, scripts or styles.
public enum HTMLText {
    /// The visible text of `html`: elements' contents (not of `script`, `style`, `head` or comments), entities decoded,
    /// white space collapsed to single spaces.
    public static func plainText(of html: String) -> String {
        var text = ""
        text.reserveCapacity(html.utf8.count / 2)
        var rest = html[...]
        while let open = rest.firstIndex(of: "<") {
            text += Self.decodingEntities(rest[..<open])
            text += " "
            rest = rest[open...]
            if rest.hasPrefix("<!--") {
                rest = rest.range(of: "-->").map { rest[$0.upperBound...] } ?? ""
                continue
            }
            guard let close = rest.firstIndex(of: ">") else { return Self.collapsed(text) }
            let tag = rest[rest.index(after: open)..<close].prefix { $0.isLetter || $0.isNumber }.lowercased()
            rest = rest[rest.index(after: close)...]
            if ["script", "style", "head", "title"].contains(tag) {
                rest = rest.range(of: "</\(tag)", options: .caseInsensitive).map { rest[$0.upperBound...] } ?? ""
                rest = rest.firstIndex(of: ">").map { rest[rest.index(after: $0)...] } ?? ""
            }
        }
        text += Self.decodingEntities(rest)
        return Self.collapsed(text)
    }

    private static let named: [Substring: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "copy": "©", "reg": "®", "hellip": "…",
        "mdash": "—", "ndash": "–", "rsquo": "’", "lsquo": "‘", "rdquo": "”", "ldquo": "“", "euro": "€",
    ]

    private static func decodingEntities(_ text: Substring) -> String {
        guard text.contains("&") else { return String(text) }
        var decoded = ""
        var rest = text
        while let ampersand = rest.firstIndex(of: "&") {
            decoded += rest[..<ampersand]
            rest = rest[rest.index(after: ampersand)...]
            guard let semicolon = rest.prefix(10).firstIndex(of: ";") else {
                decoded += "&"
                continue
            }
            let name = rest[..<semicolon]
            if let value = Self.named[name] {
                decoded += value
            } else if name.hasPrefix("#"), let scalar = Self.scalar(name.dropFirst()) {
                decoded.unicodeScalars.append(scalar)
            } else {
                decoded += "&"
                continue
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        return decoded + rest
    }

    private static func scalar(_ number: Substring) -> Unicode.Scalar? {
        let value = number.first == "x" || number.first == "X" ? UInt32(number.dropFirst(), radix: 16) : UInt32(number)
        return value.flatMap(Unicode.Scalar.init)
    }

    private static func collapsed(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
