/// The signed-in user, as `GET /me` describes them.
public struct GraphUser: Sendable, Decodable, Equatable {
    /// The user's id (16 hex digits for personal accounts, a GUID for work or school).
    public var id: String
    /// The display name.
    public var displayName: String?
    /// The SMTP address; null for personal accounts.
    public var mail: String?
    /// The sign-in name, which holds the address when `mail` is null.
    public var userPrincipalName: String?

    /// The mailbox address: `mail`, else `userPrincipalName`.
    public var address: String {
        self.mail ?? self.userPrincipalName ?? ""
    }
}
