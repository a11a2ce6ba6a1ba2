/// Bounds on what one server response may make the parser hold, so a hostile or broken server cannot exhaust memory.
public struct IMAPLimits: Sendable, Equatable {
    /// The longest line (the text between literals) accepted, in bytes.
    public var maximumLineLength: Int
    /// The largest literal accepted, in bytes.
    public var maximumLiteralLength: Int
    /// The most bytes one response may take, literals included.
    public var maximumResponseLength: Int
    /// The deepest nesting of parenthesized lists.
    public var maximumDepth: Int

    /// Limits; the defaults fit what sync asks for (envelopes, flags, previews, a first text part of 64 KiB).
    public init(
        maximumLineLength: Int = 256 * 1024,
        maximumLiteralLength: Int = 4 * 1024 * 1024,
        maximumResponseLength: Int = 8 * 1024 * 1024,
        maximumDepth: Int = 32
    ) {
        self.maximumLineLength = maximumLineLength
        self.maximumLiteralLength = maximumLiteralLength
        self.maximumResponseLength = maximumResponseLength
        self.maximumDepth = maximumDepth
    }
}
