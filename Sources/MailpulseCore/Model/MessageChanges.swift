/// One page of a folder's changes from the provider.
public struct MessageChanges: Sendable, Equatable {
    /// Messages added or changed in the folder.
    public var upserts: [Message]
    /// Ids of messages that left the folder (moved elsewhere, or deleted).
    public var removed: [String]
    /// The next page of this round, when there is one: the checkpoint to save once this page is stored.
    public var nextLink: String?
    /// The cursor of the next round, on the round's last page.
    public var cursor: String?

    /// Creates a page of changes.
    public init(upserts: [Message], removed: [String], nextLink: String?, cursor: String?) {
        self.upserts = upserts
        self.removed = removed
        self.nextLink = nextLink
        self.cursor = cursor
    }
}
