internal import Foundation

/// A header value with parameters, as Content-Type and Content-Disposition are (`text/plain; charset="utf-8"`): the
/// value lowercased, and the parameters by lowercased name, quoted strings unquoted, RFC 2231's continuations joined
/// and its `name*=charset'lang'%XX` values decoded, and RFC 2047 encoded words (which some senders put there) decoded.
public struct MIMEParameterizedValue: Sendable, Equatable {
    /// The value before the first `;`, lowercased and trimmed (`text/plain`, `attachment`).
    public var value: String
    /// The parameters by lowercased name.
    public var parameters: [String: String]

    /// Reads a header value.
    public init(_ text: String) {
        let pieces = Self.pieces(text)
        self.value = String((pieces.first ?? "").trimmingSpaces).lowercased()
        var plain: [String: String] = [:]
        // RFC 2231: name*0, name*1*, … in order; `*` at the end marks a percent-encoded section.
        var sections: [String: [(Int, String, Bool)]] = [:]
        var extended: [String: String] = [:]
        for piece in pieces.dropFirst() {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            let name = String(piece[..<equals]).trimmingSpaces.lowercased()
            var value = String(String(piece[piece.index(after: equals)...]).trimmingSpaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = Self.unquoted(value.dropFirst().dropLast()) }
            let nameParts = name.split(separator: "*", omittingEmptySubsequences: false)
            if nameParts.count == 1 {
                plain[name] = value
            } else if nameParts.count == 2, nameParts[1].isEmpty {
                extended[String(nameParts[0])] = value
            } else if nameParts.count >= 2, let number = Int(nameParts[1]), number < 1000 {
                sections[String(nameParts[0]), default: []].append((number, value, nameParts.count == 3))
            }
        }
        for (name, value) in extended { plain[name] = Self.decodeExtended(value, charset: nil).text }
        for (name, parts) in sections {
            var charset: String?
            var text = ""
            for (number, value, encoded) in parts.sorted(by: { $0.0 < $1.0 }) {
                if encoded {
                    let decoded = Self.decodeExtended(value, charset: number == 0 ? nil : charset ?? "utf-8")
                    if number == 0 { charset = decoded.charset }
                    text += decoded.text
                } else {
                    text += value
                }
            }
            plain[name] = text
        }
        self.parameters = plain.mapValues { $0.contains("=?") ? EncodedWords.decode($0) : $0 }
    }

    /// The pieces between `;` outside quoted strings.
    private static func pieces(_ text: String) -> [Substring] {
        var pieces: [Substring] = []
        var start = text.startIndex
        var quoted = false
        var escaped = false
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if escaped {
                escaped = false
            } else if character == "\\" && quoted {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
            } else if character == ";" && !quoted {
                pieces.append(text[start..<index])
                start = text.index(after: index)
            }
            index = text.index(after: index)
        }
        pieces.append(text[start...])
        return pieces
    }

    private static func unquoted(_ text: Substring) -> String {
        var result = ""
        var escaped = false
        for character in text {
            if !escaped && character == "\\" {
                escaped = true
                continue
            }
            escaped = false
            result.append(character)
        }
        return result
    }

    /// `charset'language'percent-encoded` (the first section) or just percent-encoded (the later ones, in `charset`).
    private static func decodeExtended(_ value: String, charset known: String?) -> (text: String, charset: String) {
        var charset = known ?? "utf-8"
        var encoded = Substring(value)
        if known == nil {
            let parts = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
            if parts.count == 3 {
                charset = parts[0].isEmpty ? "us-ascii" : String(parts[0])
                encoded = parts[2]
            }
        }
        var bytes: [UInt8] = []
        var utf8 = Array(encoded.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2, let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return (MIMECharset.text(bytes, charset: charset), charset)
    }
}
