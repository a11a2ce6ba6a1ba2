/// What a batch write did: which ids it applied, which the version guard refused as stale, and which it could not
/// order (``VersionOrdering/unordered``: read them again and write them with `settlingTies`).
public struct WriteOutcome: Sendable, Equatable {
    /// Ids whose write took effect.
    public var applied: [String]
    /// Ids refused because the store already holds a newer version or a newer tombstone.
    public var stale: [String]
    /// Ids refused because the store holds the same sequence with another change key.
    public var unordered: [String]

    /// Creates an outcome.
    public init(applied: [String] = [], stale: [String] = [], unordered: [String] = []) {
        self.applied = applied
        self.stale = stale
        self.unordered = unordered
    }
}
