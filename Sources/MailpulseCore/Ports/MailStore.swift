public import Foundation

/// Where accounts, mailboxes, messages and sync state are kept.
///
/// Every read and write is scoped to one local account: no call returns another account's rows.
/// Message writes go through the version guard: an older version never overwrites a newer one, and a
/// deleted message leaves a tombstone that upserts not newer than the deletion cannot resurrect.
public protocol MailStore: Sendable {
    /// Prepares the store (schema, migrations, index templates); safe to call on every start.
    func prepare() async throws
    /// Answers when the store is reachable; throws otherwise.
    func checkHealth() async throws

    // MARK: Accounts

    /// Creates an account; throws ``MailStoreError/conflict`` when the id exists.
    func createAccount(_ account: Account) async throws
    /// The account with this id, or `nil`.
    func account(_ id: AccountID) async throws -> Account?
    /// Replaces an account; throws ``MailStoreError/notFound`` when it does not exist.
    func updateAccount(_ account: Account) async throws
    /// Deletes an account and everything of it: tokens, mailboxes, messages, tombstones, sync state.
    func deleteAccount(_ id: AccountID) async throws
    /// Accounts ordered by id, after the given one, at most `limit`.
    func accounts(after: AccountID?, limit: Int) async throws -> [Account]
    /// Stores the sealed (encrypted) tokens of an account, or clears them with `nil`.
    func saveSealedTokens(_ sealed: Data?, for account: AccountID) async throws
    /// The sealed tokens of an account, if any.
    func sealedTokens(for account: AccountID) async throws -> Data?
    /// Stores the hash of the account's API token (the token itself is never stored).
    func saveAPITokenHash(_ hash: Data, for account: AccountID) async throws
    /// The hash of the account's API token, if it has one.
    func apiTokenHash(for account: AccountID) async throws -> Data?

    // MARK: Mailboxes

    /// Inserts or replaces mailboxes, all in one transaction.
    func upsertMailboxes(_ mailboxes: [Mailbox]) async throws
    /// Deletes a mailbox (not its messages: a folder removed by the provider has moved or deleted them already).
    func deleteMailbox(_ id: String, of account: AccountID) async throws
    /// The account's mailboxes, by display name.
    func mailboxes(of account: AccountID) async throws -> [Mailbox]

    // MARK: Messages

    /// Writes messages in one transaction under the version guard. A message whose version has the stored sequence
    /// and another change key is ``WriteOutcome/unordered`` and left as it is, unless `settlingTies`: the messages
    /// were read from the provider after the stored version was written, so they are current and replace it.
    func upsertMessages(_ messages: [Message], settlingTies: Bool) async throws -> WriteOutcome
    /// Turns messages into tombstones in one transaction; a deletion of a version older than the stored one is stale.
    func deleteMessages(_ deletions: [MessageDeletion]) async throws -> WriteOutcome
    /// A live message, or `nil` when it is unknown or deleted.
    func message(_ id: String, of account: AccountID) async throws -> Message?
    /// A page of live messages in the query's order (newest first unless asked otherwise); with `text`, only the ones
    /// matching it, in their fields or in the body of their stored content; with `conversationID`, only that conversation's.
    func messages(_ query: MessageQuery) async throws -> MessagePage
    /// Counts of live messages of an account, or of one of its folders.
    func counts(of account: AccountID, mailbox: String?) async throws -> MessageCounts

    // MARK: Message content

    /// Keeps what opening a live message read (its body becomes searchable); answers `false`, keeping nothing, when the
    /// message is unknown or deleted. A deletion of the message removes it; a newer version of the message keeps it.
    func saveContent(_ content: MessageContent, of message: String, of account: AccountID) async throws -> Bool
    /// The stored content of a live message, or `nil` when none was kept (or the message is gone).
    func content(of message: String, of account: AccountID) async throws -> MessageContent?

    // MARK: Sync state

    /// The sync state of one scope, or `nil` before its first round.
    func syncState(_ scope: SyncScope, of account: AccountID) async throws -> SyncState?
    /// Saves the sync state of one scope.
    func saveSyncState(_ state: SyncState) async throws
    /// Every sync state of an account.
    func syncStates(of account: AccountID) async throws -> [SyncState]
}

extension MailStore {
    /// Writes messages in one transaction under the version guard, leaving versions of unknown order as they are.
    public func upsertMessages(_ messages: [Message]) async throws -> WriteOutcome {
        try await self.upsertMessages(messages, settlingTies: false)
    }
}
