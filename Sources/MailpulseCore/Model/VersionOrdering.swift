/// How one version of a message stands against another (``MessageVersion/ordering(against:)``).
public enum VersionOrdering: Sendable, Equatable {
    /// A later change: it replaces the stored one.
    case newer
    /// The very version stored: writing it again changes nothing and is harmless.
    case same
    /// An earlier change: refused as stale.
    case older
    /// The same sequence with another change key: which came last is unknown, so neither wins until the message is
    /// read again.
    case unordered
}
