/// One slot of a concurrency limit, held until released or until its ttl ends.
public struct Lease: Sendable, Equatable {
    /// The limited key.
    public var key: String
    /// The holder's unique id.
    public var holder: String

    /// Creates a lease.
    public init(key: String, holder: String) {
        self.key = key
        self.holder = holder
    }
}
