/// Finds where one server response ends in the bytes received so far: at a line end that is not followed by a
/// literal's bytes (`{n}` at a line's end announces n bytes that belong to the same response).
struct IMAPResponseFramer {
    let limits: IMAPLimits

    /// The length of the first complete response in `bytes`, or `nil` while more bytes are needed. Throws when the
    /// response breaks a limit, before the bytes that would break it are kept.
    func responseLength(in bytes: ArraySlice<UInt8>) throws -> Int? {
        let start = bytes.startIndex
        var lineStart = start
        while true {
            guard let lineFeed = bytes[lineStart...].firstIndex(of: 0x0A) else {
                if bytes.endIndex - lineStart > self.limits.maximumLineLength {
                    throw IMAPParseError("a line longer than \(self.limits.maximumLineLength) bytes")
                }
                return nil
            }
            if lineFeed - lineStart > self.limits.maximumLineLength {
                throw IMAPParseError("a line longer than \(self.limits.maximumLineLength) bytes")
            }
            guard let literal = try Self.literalLength(endingLine: bytes[lineStart..<lineFeed], limits: self.limits) else {
                return lineFeed + 1 - start
            }
            let next = lineFeed + 1 + literal
            if next - start > self.limits.maximumResponseLength {
                throw IMAPParseError("a response longer than \(self.limits.maximumResponseLength) bytes")
            }
            guard next <= bytes.endIndex else { return nil }
            lineStart = next
        }
    }

    /// The byte count of the literal a line announces at its end (`… {123}` before CR LF), or `nil`.
    static func literalLength(endingLine line: ArraySlice<UInt8>, limits: IMAPLimits) throws -> Int? {
        var end = line.endIndex
        if end > line.startIndex, line[end - 1] == 0x0D { end -= 1 }
        guard end > line.startIndex, line[end - 1] == UInt8(ascii: "}") else { return nil }
        guard let open = line[..<(end - 1)].lastIndex(of: UInt8(ascii: "{")),
            let length = Self.announcedLength(line[(open + 1)..<(end - 1)])
        else { return nil }
        guard length <= limits.maximumLiteralLength else { throw IMAPParseError("a literal larger than \(limits.maximumLiteralLength) bytes") }
        return length
    }

    /// The length between a literal's braces (`123`, or `123+` for LITERAL+); `nil` when it is not one. Lengths of more
    /// than ten digits read as `Int.max`, which every limit refuses.
    static func announcedLength(_ text: ArraySlice<UInt8>) -> Int? {
        let digits = text.last == UInt8(ascii: "+") ? text.dropLast() : text
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return digits.count <= 10 ? Int(String(decoding: digits, as: UTF8.self)) : Int.max
    }
}
