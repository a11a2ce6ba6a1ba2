/// A held lock: the key and the holder's unique id. A lock only keeps two holders from starting the same work;
/// the holder stops its work as soon as it cannot extend the lock (``Backplane/extendLock(_:ttl:)``), and the writes
/// that work makes are safe to repeat (versioned upserts), so no fencing token is needed.
public struct LockGrant: Sendable, Equatable {
    /// The locked key.
    public var key: String
    /// The holder's unique id.
    public var holder: String

    /// Creates a grant.
    public init(key: String, holder: String) {
        self.key = key
        self.holder = holder
    }
}
