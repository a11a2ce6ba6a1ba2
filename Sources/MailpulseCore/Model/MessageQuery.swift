/// A request for one page of an account's messages, newest first.
public struct MessageQuery: Sendable, Equatable {
    /// The account whose messages to list; no other account's rows are ever returned.
    public var accountID: AccountID
    /// Only messages in this folder, when set.
    public var mailboxID: String?
    /// Only messages matching this full-text query (subject, sender name and address, preview), when set.
    public var text: String?
    /// The page size.
    public var limit: Int
    /// Where the previous page ended; `nil` for the first page.
    public var cursor: PageCursor?

    /// Creates a query.
    public init(accountID: AccountID, mailboxID: String? = nil, text: String? = nil, limit: Int = 50, cursor: PageCursor? = nil) {
        self.accountID = accountID
        self.mailboxID = mailboxID
        self.text = text
        self.limit = limit
        self.cursor = cursor
    }
}
