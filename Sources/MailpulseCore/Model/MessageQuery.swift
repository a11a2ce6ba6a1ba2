/// A request for one page of an account's messages, newest first unless it asks otherwise.
public struct MessageQuery: Sendable, Equatable {
    /// The account whose messages to list; no other account's rows are ever returned.
    public var accountID: AccountID
    /// Only messages in this folder, when set.
    public var mailboxID: String?
    /// Only messages of this conversation, when set.
    public var conversationID: String?
    /// Only messages matching this full-text query (subject, sender name and address, preview, stored body), when set.
    public var text: String?
    /// Whether the page runs from the oldest message (a conversation, read as it happened) rather than the newest.
    public var oldestFirst: Bool
    /// The page size.
    public var limit: Int
    /// Where the previous page ended; `nil` for the first page.
    public var cursor: PageCursor?

    /// Creates a query.
    public init(
        accountID: AccountID,
        mailboxID: String? = nil,
        conversationID: String? = nil,
        text: String? = nil,
        oldestFirst: Bool = false,
        limit: Int = 50,
        cursor: PageCursor? = nil
    ) {
        self.accountID = accountID
        self.mailboxID = mailboxID
        self.conversationID = conversationID
        self.text = text
        self.oldestFirst = oldestFirst
        self.limit = limit
        self.cursor = cursor
    }
}
