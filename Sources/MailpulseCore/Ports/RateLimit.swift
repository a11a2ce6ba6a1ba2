/// A token bucket's shape: `capacity` tokens at most, refilled at `capacity` per `interval`.
public struct RateLimit: Sendable, Equatable {
    /// The most tokens the bucket holds, and so the largest burst.
    public var capacity: Int
    /// The time in which an empty bucket refills completely.
    public var interval: Duration

    /// Creates a rate limit.
    public init(capacity: Int, per interval: Duration) {
        precondition(capacity > 0 && interval > .zero, "a rate limit needs a positive capacity and interval")
        self.capacity = capacity
        self.interval = interval
    }
}
