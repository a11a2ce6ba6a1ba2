/// How far the sync of one folder has come.
public struct SyncProgress: Sendable, Equatable, Codable {
    /// The folder's provider id.
    public var mailboxID: String
    /// The folder's name.
    public var displayName: String
    /// Pages stored in this round.
    public var pages: Int
    /// Messages stored in this round.
    public var messages: Int
    /// Whether the round is complete.
    public var done: Bool

    /// Creates a progress report.
    public init(mailboxID: String, displayName: String, pages: Int, messages: Int, done: Bool) {
        self.mailboxID = mailboxID
        self.displayName = displayName
        self.pages = pages
        self.messages = messages
        self.done = done
    }
}
