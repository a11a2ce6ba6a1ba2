/// Reading a mailbox: what every provider does.
public protocol MailReader: Sendable {
    /// Every folder of the mailbox, the inbox marked with its well-known name.
    func mailboxes(of account: AccountID, accessToken: String) async throws -> [Mailbox]
    /// One page of a folder's changes: from the start when `link` is nil, else from a checkpoint or cursor.
    func messageChanges(of account: AccountID, mailbox: String, link: String?, accessToken: String) async throws -> MessageChanges
    /// One message as it is now, or `nil` when it no longer exists.
    func message(_ id: String, of account: AccountID, accessToken: String) async throws -> Message?
}
