/// Who the user is at the provider, as read after sign-in (Graph's `/me`).
public struct AccountIdentity: Sendable, Equatable, Codable {
    /// The provider's id of the user.
    public var providerUserID: String
    /// The user's display name.
    public var displayName: String
    /// The mailbox address (`mail`, or `userPrincipalName` when `mail` is null).
    public var address: String

    /// Creates an identity.
    public init(providerUserID: String, displayName: String, address: String) {
        self.providerUserID = providerUserID
        self.displayName = displayName
        self.address = address
    }
}
