/// Bounds on what reading one message may take, so a hostile or broken message cannot exhaust memory or the stack.
public struct MIMELimits: Sendable, Equatable {
    /// The largest message read, in bytes.
    public var maximumSize: Int
    /// The most parts (containers included) one message may have.
    public var maximumParts: Int
    /// The deepest nesting of multipart containers.
    public var maximumDepth: Int

    /// Limits; the defaults take what mail servers accept (most refuse messages over 25–50 MB).
    public init(maximumSize: Int = 64 * 1024 * 1024, maximumParts: Int = 1000, maximumDepth: Int = 20) {
        self.maximumSize = maximumSize
        self.maximumParts = maximumParts
        self.maximumDepth = maximumDepth
    }
}
