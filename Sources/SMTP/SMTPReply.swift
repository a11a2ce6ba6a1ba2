/// A server's reply (RFC 5321 §4.2): a three-digit code and its lines of text (one reply may span several lines,
/// `250-…` up to `250 …`).
public struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    /// The code (`250`, `354`, `535`).
    public var code: Int
    /// The text of each line, without the code and its separator.
    public var lines: [String]

    /// A reply.
    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    /// The lines joined by spaces.
    public var text: String {
        self.lines.joined(separator: " ")
    }

    /// 2xx: done.
    public var isSuccess: Bool { (200..<300).contains(self.code) }
    /// 3xx: go on (DATA's 354, AUTH's 334).
    public var isIntermediate: Bool { (300..<400).contains(self.code) }
    /// 4xx: failed for now; the same may succeed later.
    public var isTransient: Bool { (400..<500).contains(self.code) }

    public var description: String {
        "\(self.code) \(self.text)"
    }
}
