public import Foundation

/// How far the sync of one scope has come: the resumable checkpoint of a running round and the cursor of the last finished one.
public struct SyncState: Sendable, Equatable, Codable {
    /// The owning local account.
    public var accountID: AccountID
    /// What this state covers.
    public var scope: SyncScope
    /// The provider's cursor from the last completed round (Graph's `@odata.deltaLink`).
    public var cursor: String?
    /// The next page of the round in progress (Graph's `@odata.nextLink`), saved after each stored page.
    public var checkpoint: String?
    /// Pages stored in the round in progress.
    public var pagesStored: Int
    /// Messages stored in the round in progress.
    public var messagesStored: Int
    /// When the last round completed.
    public var completedAt: Date?

    /// Creates a sync state.
    public init(
        accountID: AccountID,
        scope: SyncScope,
        cursor: String? = nil,
        checkpoint: String? = nil,
        pagesStored: Int = 0,
        messagesStored: Int = 0,
        completedAt: Date? = nil
    ) {
        self.accountID = accountID
        self.scope = scope
        self.cursor = cursor
        self.checkpoint = checkpoint
        self.pagesStored = pagesStored
        self.messagesStored = messagesStored
        self.completedAt = completedAt
    }
}
