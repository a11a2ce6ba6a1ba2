/// A held lock: the holder's id and a fencing token that grows with every grant of the same key.
public struct LockGrant: Sendable, Equatable {
    /// The locked key.
    public var key: String
    /// The holder's unique id.
    public var holder: String
    /// Strictly greater than the token of any earlier grant of this key; writers reject lower tokens.
    public var fencingToken: Int64

    /// Creates a grant.
    public init(key: String, holder: String, fencingToken: Int64) {
        self.key = key
        self.holder = holder
        self.fencingToken = fencingToken
    }
}
