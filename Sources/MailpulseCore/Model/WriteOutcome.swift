/// What a batch write did: which ids it applied and which the version guard refused as stale.
public struct WriteOutcome: Sendable, Equatable {
    /// Ids whose write took effect.
    public var applied: [String]
    /// Ids refused because the store already holds a newer version or a newer tombstone.
    public var stale: [String]

    /// Creates an outcome.
    public init(applied: [String] = [], stale: [String] = []) {
        self.applied = applied
        self.stale = stale
    }
}
