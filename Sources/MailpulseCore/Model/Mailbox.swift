/// A mail folder of a linked account, as the provider describes it.
public struct Mailbox: Sendable, Hashable, Codable {
    /// The owning local account.
    public var accountID: AccountID
    /// The provider's folder id.
    public var id: String
    /// The parent folder's id; `nil` for a top-level folder.
    public var parentID: String?
    /// The folder's display name.
    public var displayName: String
    /// The well-known name (`inbox`, `sentitems`, …) when the folder has one.
    public var wellKnownName: String?
    /// Messages in the folder, as the provider counts them.
    public var totalCount: Int
    /// Unread messages in the folder, as the provider counts them.
    public var unreadCount: Int
    /// Whether the provider hides the folder from users.
    public var isHidden: Bool

    /// Creates a mailbox.
    public init(
        accountID: AccountID,
        id: String,
        parentID: String? = nil,
        displayName: String,
        wellKnownName: String? = nil,
        totalCount: Int = 0,
        unreadCount: Int = 0,
        isHidden: Bool = false
    ) {
        self.accountID = accountID
        self.id = id
        self.parentID = parentID
        self.displayName = displayName
        self.wellKnownName = wellKnownName
        self.totalCount = totalCount
        self.unreadCount = unreadCount
        self.isHidden = isHidden
    }
}
