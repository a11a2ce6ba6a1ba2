/// Bounds on what one reply may make the client hold, so a hostile or broken server cannot exhaust memory.
public struct SMTPLimits: Sendable, Equatable {
    /// The longest reply line accepted, in bytes, CR LF included (RFC 5321 §4.5.3.1.5 says 512).
    public var maximumLineLength: Int
    /// The most lines one reply may have (an EHLO reply has one per extension).
    public var maximumLines: Int

    /// Limits, generous beside what servers send.
    public init(maximumLineLength: Int = 4096, maximumLines: Int = 200) {
        self.maximumLineLength = maximumLineLength
        self.maximumLines = maximumLines
    }
}
