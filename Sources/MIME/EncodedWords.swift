internal import Foundation

/// RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?ISO-8859-1?Q?…?=`) in subjects and display names: decoded, and made
/// for header text that is not plain ASCII. Whitespace between two encoded words is dropped, as the RFC says. A word
/// in a charset or encoding it does not know stays as it was sent.
public enum EncodedWords {
    /// The text as people read it.
    public static func decode(_ text: String) -> String {
        guard text.contains("=?") else { return text }
        var result = ""
        var rest = Substring(text)
        var pendingSpace = Substring()
        var lastWasEncoded = false
        while !rest.isEmpty {
            if rest.hasPrefix("=?"), let (decoded, after) = Self.word(rest) {
                if !lastWasEncoded { result += pendingSpace }
                pendingSpace = ""
                result += decoded
                rest = after
                lastWasEncoded = true
                continue
            }
            let character = rest.removeFirst()
            if character == " " || character == "\t" || character == "\r" || character == "\n" || character == "\r\n" {
                pendingSpace.append(character)
                continue
            }
            result += pendingSpace
            pendingSpace = ""
            result.append(character)
            lastWasEncoded = false
        }
        return result + pendingSpace
    }

    /// `text` as UTF-8 `B` encoded words of at most 64 characters each (RFC 2047 allows 75), so that one fits a
    /// header line after the field's name; a header folds between them.
    public static func encode(_ text: String) -> [String] {
        // 39 bytes make 52 base64 letters: with `=?UTF-8?B?` and `?=` a word of 64 characters.
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 39, !chunk.isEmpty {
                words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=") }
        return words
    }

    /// One encoded word at the start of `text` and what follows it.
    private static func word(_ text: Substring) -> (String, Substring)? {
        let body = text.dropFirst(2)
        let parts = body.split(separator: "?", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let end = parts[2].range(of: "?=") else { return nil }
        let payload = parts[2][..<end.lowerBound]
        guard !payload.contains(" ") else { return nil }
        let bytes: [UInt8]
        switch parts[1].uppercased() {
        case "B":
            guard let data = Data(unpaddedBase64: String(payload)) else { return nil }
            bytes = Array(data)
        case "Q":
            var decoded: [UInt8] = []
            var utf8 = Array(payload.utf8)[...]
            while let byte = utf8.popFirst() {
                if byte == UInt8(ascii: "_") {
                    decoded.append(0x20)
                } else if byte == UInt8(ascii: "="), utf8.count >= 2, let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                    decoded.append(value)
                    utf8 = utf8.dropFirst(2)
                } else {
                    decoded.append(byte)
                }
            }
            bytes = decoded
        default:
            return nil
        }
        guard let decoded = MIMECharset.decode(bytes, charset: String(parts[0])) else { return nil }
        return (decoded, parts[2][end.upperBound...])
    }
}
