/// Reads replies from the bytes a server sent (RFC 5321 §4.2): lines `ddd-text` continued up to the `ddd text` that
/// ends the reply, all with one code. Never traps on what a server sends: a line or a reply past ``SMTPLimits`` and
/// anything that is no reply throw ``SMTPError/malformed(_:)``.
public struct SMTPReplyParser: Sendable {
    private let limits: SMTPLimits

    /// A parser within `limits`.
    public init(limits: SMTPLimits = SMTPLimits()) {
        self.limits = limits
    }

    /// The next whole reply at the front of `buffer`, removed from it; `nil` when more bytes are needed.
    public func next(from buffer: inout [UInt8]) throws -> SMTPReply? {
        var code: Int?
        var lines: [String] = []
        var start = 0
        while true {
            guard let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) else {
                guard buffer.count - start <= self.limits.maximumLineLength else {
                    throw SMTPError.malformed("a reply line longer than \(self.limits.maximumLineLength) bytes")
                }
                return nil
            }
            guard newline + 1 - start <= self.limits.maximumLineLength else {
                throw SMTPError.malformed("a reply line longer than \(self.limits.maximumLineLength) bytes")
            }
            var end = newline
            if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            let line = buffer[start..<end]
            guard line.count >= 3, line.prefix(3).allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                let lineCode = Int(String(decoding: line.prefix(3), as: UTF8.self)),
                (200...599).contains(lineCode)
            else {
                throw SMTPError.malformed("no reply code in \"\(String(decoding: line.prefix(80), as: UTF8.self))\"")
            }
            if let code, code != lineCode { throw SMTPError.malformed("a reply of code \(code) continued with \(lineCode)") }
            code = lineCode
            let separator = line.count > 3 ? line[line.startIndex + 3] : UInt8(ascii: " ")
            guard separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else {
                throw SMTPError.malformed("no space or hyphen after the code \(lineCode)")
            }
            lines.append(String(decoding: line.dropFirst(4), as: UTF8.self))
            guard lines.count <= self.limits.maximumLines else { throw SMTPError.malformed("a reply of more than \(self.limits.maximumLines) lines") }
            start = newline + 1
            if separator == UInt8(ascii: " ") {
                buffer.removeFirst(start)
                return SMTPReply(code: lineCode, lines: lines)
            }
        }
    }
}
