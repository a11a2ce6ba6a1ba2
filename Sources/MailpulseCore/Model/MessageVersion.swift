/// The provider's version of a message: the write guard orders writes by it.
///
/// Writes are ordered by `modifiedAt` alone (Graph's `lastModifiedDateTime`, in milliseconds since 1970);
/// `changeKey` is kept to tell two versions apart but carries no order. An incoming write whose `modifiedAt`
/// is not older than the stored one wins, so replaying the same version is harmless.
public struct MessageVersion: Sendable, Equatable, Codable {
    /// Milliseconds since 1970 of the provider's last modification.
    public var modifiedAt: Int64
    /// The provider's opaque change key.
    public var changeKey: String

    /// Creates a version.
    public init(modifiedAt: Int64, changeKey: String) {
        self.modifiedAt = modifiedAt
        self.changeKey = changeKey
    }
}
