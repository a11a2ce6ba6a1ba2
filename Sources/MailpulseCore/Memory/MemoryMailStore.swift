public import Foundation
internal import Synchronization

/// ``MailStore`` in one process's memory, with the stores' rules (the contract suite runs against it too): the
/// version guard and tombstones, pages newest first, search by whole words with the last one a prefix (letters
/// folded as the SQLite index folds them), and no rows for an account that does not exist.
public final class MemoryMailStore: MailStore {
    private struct Stored {
        var message: Message
        /// The sequence of the version deleted; `nil` while the message lives.
        var deletedVersion: Int64?
        /// What opening it read, while it lives (a deletion drops it).
        var content: MessageContent?
    }

    private struct Tenant {
        var account: Account
        var sealedTokens: Data?
        var apiTokenHash: Data?
        var mailboxes: [String: Mailbox] = [:]
        var messages: [String: Stored] = [:]
        var syncStates: [String: SyncState] = [:]
    }

    private let tenants = Mutex<[AccountID: Tenant]>([:])

    /// An empty store.
    public init() {}

    public func prepare() async throws {}

    public func checkHealth() async throws {}

    // MARK: Accounts

    public func createAccount(_ account: Account) async throws {
        try self.tenants.withLock { tenants in
            guard tenants[account.id] == nil else { throw MailStoreError.conflict("account \(account.id) exists") }
            tenants[account.id] = Tenant(account: account)
        }
    }

    public func account(_ id: AccountID) async throws -> Account? {
        self.tenants.withLock { $0[id]?.account }
    }

    public func updateAccount(_ account: Account) async throws {
        try self.update(account.id) { $0.account = account }
    }

    public func deleteAccount(_ id: AccountID) async throws {
        _ = self.tenants.withLock { $0.removeValue(forKey: id) }
    }

    public func accounts(after: AccountID?, limit: Int) async throws -> [Account] {
        self.tenants.withLock { tenants in
            let after = after?.description ?? ""
            return tenants.values.map(\.account).filter { $0.id.description > after }.sorted { $0.id.description < $1.id.description }
                .prefix(limit).map { $0 }
        }
    }

    public func saveSealedTokens(_ sealed: Data?, for account: AccountID) async throws {
        try self.update(account) { $0.sealedTokens = sealed }
    }

    public func sealedTokens(for account: AccountID) async throws -> Data? {
        self.tenants.withLock { $0[account]?.sealedTokens }
    }

    public func saveAPITokenHash(_ hash: Data, for account: AccountID) async throws {
        try self.update(account) { $0.apiTokenHash = hash }
    }

    public func apiTokenHash(for account: AccountID) async throws -> Data? {
        self.tenants.withLock { $0[account]?.apiTokenHash }
    }

    // MARK: Mailboxes

    public func upsertMailboxes(_ mailboxes: [Mailbox]) async throws {
        try self.tenants.withLock { tenants in
            guard mailboxes.allSatisfy({ tenants[$0.accountID] != nil }) else { throw Self.accountMissing }
            for mailbox in mailboxes { tenants[mailbox.accountID]?.mailboxes[mailbox.id] = mailbox }
        }
    }

    public func deleteMailbox(_ id: String, of account: AccountID) async throws {
        _ = self.tenants.withLock { $0[account]?.mailboxes.removeValue(forKey: id) }
    }

    public func mailboxes(of account: AccountID) async throws -> [Mailbox] {
        self.tenants.withLock { tenants in
            (tenants[account]?.mailboxes.values.map { $0 } ?? []).sorted { ($0.displayName, $0.id) < ($1.displayName, $1.id) }
        }
    }

    // MARK: Messages

    public func upsertMessages(_ messages: [Message], settlingTies: Bool) async throws -> WriteOutcome {
        try self.tenants.withLock { tenants in
            guard messages.allSatisfy({ tenants[$0.accountID] != nil }) else { throw Self.accountMissing }
            var outcome = WriteOutcome()
            for message in messages {
                let ordering =
                    switch tenants[message.accountID]?.messages[message.id] {
                    case nil: VersionOrdering.newer
                    case let stored?:
                        if let deleted = stored.deletedVersion {
                            message.version.sequence > deleted ? VersionOrdering.newer : .older
                        } else {
                            message.version.ordering(against: stored.message.version)
                        }
                    }
                switch ordering {
                // The `where` binds to `.unordered` alone: a tie is settled only by a message read after it.
                case .newer, .same,
                    .unordered where settlingTies:
                    // A tombstone holds no content (a deletion drops it), so a live message keeps what it had.
                    let content = tenants[message.accountID]?.messages[message.id]?.content
                    tenants[message.accountID]?.messages[message.id] = Stored(message: message, content: content)
                    outcome.applied.append(message.id)
                case .unordered:
                    outcome.unordered.append(message.id)
                case .older:
                    outcome.stale.append(message.id)
                }
            }
            return outcome
        }
    }

    public func deleteMessages(_ deletions: [MessageDeletion]) async throws -> WriteOutcome {
        try self.tenants.withLock { tenants in
            guard deletions.allSatisfy({ tenants[$0.accountID] != nil }) else { throw Self.accountMissing }
            var outcome = WriteOutcome()
            for deletion in deletions {
                guard var stored = tenants[deletion.accountID]?.messages[deletion.messageID] else {
                    tenants[deletion.accountID]?.messages[deletion.messageID] = Stored(
                        message: Self.tombstone(deletion),
                        deletedVersion: deletion.version
                    )
                    outcome.applied.append(deletion.messageID)
                    continue
                }
                guard deletion.version >= stored.message.version.sequence else {
                    outcome.stale.append(deletion.messageID)
                    continue
                }
                stored.deletedVersion = max(stored.deletedVersion ?? 0, deletion.version)
                stored.content = nil
                tenants[deletion.accountID]?.messages[deletion.messageID] = stored
                outcome.applied.append(deletion.messageID)
            }
            return outcome
        }
    }

    public func message(_ id: String, of account: AccountID) async throws -> Message? {
        self.tenants.withLock { tenants in
            tenants[account]?.messages[id].flatMap { $0.deletedVersion == nil ? $0.message : nil }
        }
    }

    public func messages(_ query: MessageQuery) async throws -> MessagePage {
        guard (1...1000).contains(query.limit) else { throw MailStoreError.invalidInput("limit must be between 1 and 1000") }
        var words: [String] = []
        if let text = query.text {
            words = text.searchWords.map(Self.folded)
            guard !words.isEmpty else { return MessagePage(messages: [], next: nil) }
        }
        let live = self.tenants.withLock { tenants in
            (tenants[query.accountID]?.messages.values.map { $0 } ?? []).filter { $0.deletedVersion == nil }
        }
        // Newest first is descending (received, id); oldest first compares the other way round.
        let before = { (a: (Int64, String), b: (Int64, String)) in query.oldestFirst ? a < b : a > b }
        let matching =
            live.filter { stored in
                let message = stored.message
                return (query.mailboxID.map { message.mailboxID == $0 } ?? true)
                    && (query.conversationID.map { message.conversationID == $0 } ?? true)
                    && Self.matches(stored, words)
                    && (query.cursor.map { before(($0.receivedAt, $0.messageID), (message.receivedAt, message.id)) } ?? true)
            }
            .map(\.message)
            .sorted { before(($0.receivedAt, $0.id), ($1.receivedAt, $1.id)) }
        let page = Array(matching.prefix(query.limit))
        let next = matching.count > query.limit ? page.last.map(PageCursor.init(after:)) : nil
        return MessagePage(messages: page, next: next)
    }

    public func counts(of account: AccountID, mailbox: String?) async throws -> MessageCounts {
        self.tenants.withLock { tenants in
            let live = (tenants[account]?.messages.values.map { $0 } ?? []).filter { stored in
                stored.deletedVersion == nil && (mailbox.map { stored.message.mailboxID == $0 } ?? true)
            }
            return MessageCounts(total: live.count, unread: live.filter { !$0.message.isRead }.count)
        }
    }

    // MARK: Message content

    public func saveContent(_ content: MessageContent, of message: String, of account: AccountID) async throws -> Bool {
        self.tenants.withLock { tenants in
            guard let stored = tenants[account]?.messages[message], stored.deletedVersion == nil else { return false }
            tenants[account]?.messages[message]?.content = content
            return true
        }
    }

    public func content(of message: String, of account: AccountID) async throws -> MessageContent? {
        self.tenants.withLock { tenants in
            tenants[account]?.messages[message]?.content
        }
    }

    // MARK: Sync state

    public func syncState(_ scope: SyncScope, of account: AccountID) async throws -> SyncState? {
        self.tenants.withLock { $0[account]?.syncStates[scope.description] }
    }

    public func saveSyncState(_ state: SyncState) async throws {
        try self.update(state.accountID) { $0.syncStates[state.scope.description] = state }
    }

    public func syncStates(of account: AccountID) async throws -> [SyncState] {
        self.tenants.withLock { tenants in
            (tenants[account]?.syncStates ?? [:]).sorted { $0.key < $1.key }.map(\.value)
        }
    }

    // MARK: Rules

    private static let accountMissing = MailStoreError.notFound("the account does not exist: it was deleted")

    private func update(_ account: AccountID, _ change: (inout Tenant) -> Void) throws {
        try self.tenants.withLock { tenants in
            guard var tenant = tenants[account] else { throw Self.accountMissing }
            change(&tenant)
            tenants[account] = tenant
        }
    }

    /// Every word must be a word of the subject, the sender or the preview; the last may be a word's beginning.
    private static func matches(_ stored: Stored, _ words: [String]) -> Bool {
        guard let last = words.last else { return true }
        let message = stored.message
        let fields = [message.subject, message.from?.name, message.from?.address, message.bodyPreview, stored.content?.searchableText]
            .compactMap { $0 }
        let indexed = Set(fields.joined(separator: " ").searchWords(limit: .max).map(Self.folded))
        return words.dropLast().allSatisfy(indexed.contains) && indexed.contains { $0.hasPrefix(last) }
    }

    /// Lower case without diacritics, as the full-text indexes fold letters.
    private static func folded(_ word: String) -> String {
        word.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }

    /// The placeholder a deletion of an unknown message leaves, so that older writes cannot bring it back.
    private static func tombstone(_ deletion: MessageDeletion) -> Message {
        Message(
            accountID: deletion.accountID,
            id: deletion.messageID,
            mailboxID: "",
            internetMessageID: nil,
            conversationID: nil,
            subject: "",
            from: nil,
            sender: nil,
            toRecipients: [],
            ccRecipients: [],
            receivedAt: 0,
            sentAt: nil,
            isRead: false,
            isDraft: false,
            flag: .notFlagged,
            importance: .normal,
            hasAttachments: false,
            bodyPreview: "",
            categories: [],
            version: MessageVersion(sequence: 0, changeKey: "")
        )
    }
}
