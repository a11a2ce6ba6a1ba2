/// Content-Transfer-Encoding (RFC 2045 §6): base64 and quoted-printable undone and made; 7bit, 8bit and binary are
/// the bytes as they are.
public enum MIMETransferEncoding {
    /// The bytes with `encoding` (the header's value, any case) undone; an unknown encoding leaves them as they are.
    /// Forgiving, as readers must be: base64 skips what is not of its alphabet and keeps the whole quads of a body cut
    /// short (a fetch window); quoted-printable keeps an `=` that starts no escape.
    public static func decode(_ bytes: some Collection<UInt8>, encoding: String) -> [UInt8] {
        switch encoding.trimmingSpaces.lowercased() {
        case "base64": Self.decodeBase64(bytes)
        case "quoted-printable": Self.decodeQuotedPrintable(Array(bytes))
        default: Array(bytes)
        }
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    private static let values: [UInt8] = {
        var values = [UInt8](repeating: 0xFF, count: 256)
        for (index, letter) in Self.alphabet.enumerated() { values[Int(letter)] = UInt8(index) }
        return values
    }()

    /// Base64 letters to bytes, four at a time; what is not a letter is skipped, `=` ends the data.
    private static func decodeBase64(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count * 3 / 4)
        var quad: UInt32 = 0
        var count = 0
        var padded = false
        for byte in bytes {
            if byte == UInt8(ascii: "=") {
                padded = true
                break
            }
            let value = Self.values[Int(byte)]
            guard value != 0xFF else { continue }
            quad = quad << 6 | UInt32(value)
            count += 1
            if count == 4 {
                result += [UInt8(truncatingIfNeeded: quad >> 16), UInt8(truncatingIfNeeded: quad >> 8), UInt8(truncatingIfNeeded: quad)]
                quad = 0
                count = 0
            }
        }
        // Padding ended the data: the last two or three letters make one or two bytes. Without it the body was cut
        // short, and they are part of a quad that did not come.
        guard padded else { return result }
        if count == 2 {
            result.append(UInt8(truncatingIfNeeded: quad >> 4))
        } else if count == 3 {
            result += [UInt8(truncatingIfNeeded: quad >> 10), UInt8(truncatingIfNeeded: quad >> 2)]
        }
        return result
    }

    private static func decodeQuotedPrintable(_ body: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(body.count)
        var index = 0
        while index < body.count {
            let byte = body[index]
            if byte == UInt8(ascii: "="), index + 2 < body.count, let high = Self.hex(body[index + 1]), let low = Self.hex(body[index + 2]) {
                bytes.append(high << 4 | low)
                index += 3
            } else if byte == UInt8(ascii: "="), index + 1 < body.count, body[index + 1] == 0x0D || body[index + 1] == 0x0A {
                // A soft line break.
                index += body[index + 1] == 0x0D && index + 2 < body.count && body[index + 2] == 0x0A ? 3 : 2
            } else {
                bytes.append(byte)
                index += 1
            }
        }
        return bytes
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    /// Base64 in lines of 76 letters, each ending in CR LF (RFC 2045 §6.8).
    public static func encodeBase64(_ bytes: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count * 4 / 3 + bytes.count / 57 * 2 + 6)
        var lineLength = 0
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let b0 = UInt32(chunk[chunk.startIndex])
            let b1 = chunk.count > 1 ? UInt32(chunk[chunk.startIndex + 1]) : 0
            let b2 = chunk.count > 2 ? UInt32(chunk[chunk.startIndex + 2]) : 0
            let quad = b0 << 16 | b1 << 8 | b2
            result.append(Self.alphabet[Int(quad >> 18 & 63)])
            result.append(Self.alphabet[Int(quad >> 12 & 63)])
            result.append(chunk.count > 1 ? Self.alphabet[Int(quad >> 6 & 63)] : UInt8(ascii: "="))
            result.append(chunk.count > 2 ? Self.alphabet[Int(quad & 63)] : UInt8(ascii: "="))
            lineLength += 4
            index += 3
            if lineLength == 76 {
                result += [0x0D, 0x0A]
                lineLength = 0
            }
        }
        if lineLength > 0 { result += [0x0D, 0x0A] }
        return result
    }

    /// Text as quoted-printable (RFC 2045 §6.7): its line breaks (CR LF, LF or CR) become CR LF, lines longer than
    /// 76 characters are cut with soft breaks, and `=`, control characters, bytes above 126 and white space before a
    /// line end are escaped.
    public static func encodeQuotedPrintable(_ text: String) -> [UInt8] {
        var result: [UInt8] = []
        let lines = text.replacingLineBreaks().split(separator: "\n", omittingEmptySubsequences: false)
        for (number, line) in lines.enumerated() {
            var length = 0
            let bytes = Array(line.utf8)
            for (index, byte) in bytes.enumerated() {
                let isLast = index == bytes.count - 1
                let plain = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || ((byte == 0x20 || byte == 0x09) && !isLast)
                let encoded: [UInt8] = plain ? [byte] : Array("=\(Self.hexDigits[Int(byte >> 4)])\(Self.hexDigits[Int(byte & 15)])".utf8)
                // Room for the soft break's `=`, unless this is the line's last piece.
                if length + encoded.count > (isLast ? 76 : 75) {
                    result += Array("=\r\n".utf8)
                    length = 0
                }
                result += encoded
                length += encoded.count
            }
            if number < lines.count - 1 { result += [0x0D, 0x0A] }
        }
        return result
    }

    private static let hexDigits = Array("0123456789ABCDEF")
}

extension StringProtocol {
    /// Without spaces, tabs and line breaks at either end.
    var trimmingSpaces: SubSequence {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let first = self.firstIndex(where: { !isSpace($0) }), let last = self.lastIndex(where: { !isSpace($0) }) else {
            return self[self.endIndex...]
        }
        return self[first...last]
    }
}

extension String {
    /// Every line break (CR LF, CR, LF) as LF.
    func replacingLineBreaks() -> String {
        var result = ""
        result.reserveCapacity(self.utf8.count)
        for character in self {
            if character == "\r\n" || character == "\r" { result.append("\n") } else { result.append(character) }
        }
        return result
    }
}
