public import Foundation
internal import GRDB
public import MailpulseCore

/// ``MailStore`` on one SQLite file (GRDB, WAL, FTS5): the embedded default store.
///
/// Readers run concurrently with the single writer (WAL); every batch is one transaction.
public final class SQLiteMailStore: MailStore {
    /// The largest page a query may ask for.
    public static let maximumPageSize = 1000

    private let pool: DatabasePool
    /// The path of the database file.
    public let path: String

    /// Opens (creating when missing) the database at `path`, creating its folder too. Call ``prepare()`` before use.
    public init(path: String) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            db.add(function: FullTextQuery.indexedTextFunction)
        }
        self.pool = try DatabasePool(path: path, configuration: configuration)
        self.path = path
    }

    public func prepare() async throws {
        try SQLiteSchema.migrator.migrate(self.pool)
    }

    public func checkHealth() async throws {
        _ = try await self.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    // MARK: Accounts

    public func createAccount(_ account: Account) async throws {
        try await self.write { db in
            let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM accounts WHERE id = ?", arguments: [account.id.description]) ?? false
            if exists {
                throw MailStoreError.conflict("account \(account.id) exists")
            }
            try db.execute(
                sql: """
                    INSERT INTO accounts (id, provider, status, provider_user_id, display_name, address, created_at, updated_at, last_synced_at,
                        subscription_id, subscription_expires_at, subscription_notification_url)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: Self.accountArguments(account)
            )
        }
    }

    public func account(_ id: AccountID) async throws -> Account? {
        try await self.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM accounts WHERE id = ?", arguments: [id.description]).map(Self.account(from:))
        }
    }

    public func updateAccount(_ account: Account) async throws {
        try await self.write { db in
            var arguments = Self.accountArguments(account)
            _ = arguments.append(contentsOf: [account.id.description])
            try db.execute(
                sql: """
                    UPDATE accounts SET id = ?, provider = ?, status = ?, provider_user_id = ?, display_name = ?, address = ?,
                        created_at = ?, updated_at = ?, last_synced_at = ?, subscription_id = ?, subscription_expires_at = ?,
                        subscription_notification_url = ?
                    WHERE id = ?
                    """,
                arguments: arguments
            )
            if db.changesCount == 0 {
                throw MailStoreError.notFound("account \(account.id) does not exist")
            }
        }
    }

    public func deleteAccount(_ id: AccountID) async throws {
        try await self.write { db in
            for table in ["messages", "message_contents", "mailboxes", "sync_states"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE account_id = ?", arguments: [id.description])
            }
            try db.execute(sql: "DELETE FROM accounts WHERE id = ?", arguments: [id.description])
        }
    }

    public func accounts(after: AccountID?, limit: Int) async throws -> [Account] {
        try await self.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM accounts WHERE id > ? ORDER BY id LIMIT ?",
                arguments: [after?.description ?? "", max(0, limit)]
            ).map(Self.account(from:))
        }
    }

    public func saveSealedTokens(_ sealed: Data?, for account: AccountID) async throws {
        try await self.write { db in
            try db.execute(sql: "UPDATE accounts SET sealed_tokens = ? WHERE id = ?", arguments: [sealed, account.description])
            if db.changesCount == 0 {
                throw MailStoreError.notFound("account \(account) does not exist")
            }
        }
    }

    public func sealedTokens(for account: AccountID) async throws -> Data? {
        try await self.read { db in
            try Data.fetchOne(db, sql: "SELECT sealed_tokens FROM accounts WHERE id = ?", arguments: [account.description])
        }
    }

    public func saveAPITokenHash(_ hash: Data, for account: AccountID) async throws {
        try await self.write { db in
            try db.execute(sql: "UPDATE accounts SET api_token_hash = ? WHERE id = ?", arguments: [hash, account.description])
            if db.changesCount == 0 {
                throw MailStoreError.notFound("account \(account) does not exist")
            }
        }
    }

    public func apiTokenHash(for account: AccountID) async throws -> Data? {
        try await self.read { db in
            try Data.fetchOne(db, sql: "SELECT api_token_hash FROM accounts WHERE id = ?", arguments: [account.description])
        }
    }

    // MARK: Mailboxes

    public func upsertMailboxes(_ mailboxes: [Mailbox]) async throws {
        try await self.write { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO mailboxes (account_id, id, parent_id, display_name, well_known_name, total_count, unread_count, is_hidden)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (account_id, id) DO UPDATE SET
                        parent_id = excluded.parent_id, display_name = excluded.display_name,
                        well_known_name = excluded.well_known_name, total_count = excluded.total_count,
                        unread_count = excluded.unread_count, is_hidden = excluded.is_hidden
                    """
            )
            for mailbox in mailboxes {
                try statement.execute(arguments: [
                    mailbox.accountID.description, mailbox.id, mailbox.parentID, mailbox.displayName,
                    mailbox.wellKnownName, mailbox.totalCount, mailbox.unreadCount, mailbox.isHidden,
                ])
            }
        }
    }

    public func deleteMailbox(_ id: String, of account: AccountID) async throws {
        try await self.write { db in
            try db.execute(sql: "DELETE FROM mailboxes WHERE account_id = ? AND id = ?", arguments: [account.description, id])
        }
    }

    public func mailboxes(of account: AccountID) async throws -> [Mailbox] {
        try await self.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM mailboxes WHERE account_id = ? ORDER BY display_name, id",
                arguments: [account.description]
            ).map { row in
                Mailbox(
                    accountID: account,
                    id: row["id"],
                    parentID: row["parent_id"],
                    displayName: row["display_name"],
                    wellKnownName: row["well_known_name"],
                    totalCount: row["total_count"],
                    unreadCount: row["unread_count"],
                    isHidden: row["is_hidden"]
                )
            }
        }
    }

    // MARK: Messages

    public func upsertMessages(_ messages: [Message], settlingTies: Bool) async throws -> WriteOutcome {
        let rows = try messages.map(MessageRow.init)
        return try await self.write { db in
            // The WHERE clause is the version guard (``MessageVersion/ordering(against:)``): a live row is replaced by
            // a newer sequence or the same version, a tie of change keys only when settling; a tombstone only by a
            // sequence newer than the version it deleted (`deleted_at` holds that sequence).
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO messages (\(MessageRow.columns.joined(separator: ", ")), deleted, deleted_at)
                    VALUES (\(Array(repeating: "?", count: MessageRow.columns.count).joined(separator: ", ")), 0, NULL)
                    ON CONFLICT (account_id, id) DO UPDATE SET
                        \(MessageRow.columns.dropFirst(2).map { "\($0) = excluded.\($0)" }.joined(separator: ", ")),
                        deleted = 0, deleted_at = NULL
                    WHERE CASE WHEN messages.deleted = 1 THEN excluded.modified_at > messages.deleted_at
                        ELSE excluded.modified_at > messages.modified_at
                            OR (excluded.modified_at = messages.modified_at AND (excluded.change_key = messages.change_key OR ?))
                        END
                    """
            )
            let tie = try db.cachedStatement(
                sql: "SELECT 1 FROM messages WHERE account_id = ? AND id = ? AND deleted = 0 AND modified_at = ? AND change_key <> ?"
            )
            var outcome = WriteOutcome()
            for row in rows {
                try statement.execute(arguments: row.arguments + [settlingTies])
                if db.changesCount > 0 {
                    outcome.applied.append(row.id)
                } else if try Bool.fetchOne(tie, arguments: [row.accountID, row.id, row.version.sequence, row.version.changeKey]) != nil {
                    outcome.unordered.append(row.id)
                } else {
                    outcome.stale.append(row.id)
                }
            }
            return outcome
        }
    }

    public func deleteMessages(_ deletions: [MessageDeletion]) async throws -> WriteOutcome {
        try await self.write { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO messages (account_id, id, mailbox_id, subject, to_recipients, cc_recipients, received_at, is_read,
                        is_draft, flag, importance, has_attachments, body_preview, categories, modified_at, change_key, deleted, deleted_at)
                    VALUES (?, ?, '', '', '[]', '[]', 0, 0, 0, 'notFlagged', 'normal', 0, '', '[]', 0, '', 1, ?)
                    ON CONFLICT (account_id, id) DO UPDATE SET
                        deleted = 1, deleted_at = max(coalesce(messages.deleted_at, 0), excluded.deleted_at), body_text = NULL
                    WHERE excluded.deleted_at >= messages.modified_at
                    """
            )
            let forget = try db.cachedStatement(sql: "DELETE FROM message_contents WHERE account_id = ? AND id = ?")
            var outcome = WriteOutcome()
            for deletion in deletions {
                try statement.execute(arguments: [deletion.accountID.description, deletion.messageID, deletion.version])
                if db.changesCount > 0 {
                    try forget.execute(arguments: [deletion.accountID.description, deletion.messageID])
                    outcome.applied.append(deletion.messageID)
                } else {
                    outcome.stale.append(deletion.messageID)
                }
            }
            return outcome
        }
    }

    public func message(_ id: String, of account: AccountID) async throws -> Message? {
        try await self.read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT \(Self.messageColumns) FROM messages WHERE account_id = ? AND id = ? AND deleted = 0",
                arguments: [account.description, id]
            ).map(MessageRow.message(from:))
        }
    }

    public func messages(_ query: MessageQuery) async throws -> MessagePage {
        guard (1...Self.maximumPageSize).contains(query.limit) else {
            throw MailStoreError.invalidInput("limit must be between 1 and \(Self.maximumPageSize)")
        }
        var sql = "SELECT \(Self.messageColumns) FROM messages WHERE account_id = ? AND deleted = 0"
        var arguments: StatementArguments = [query.accountID.description]
        if let mailboxID = query.mailboxID {
            sql += " AND mailbox_id = ?"
            _ = arguments.append(contentsOf: [mailboxID])
        }
        if let conversationID = query.conversationID {
            sql += " AND conversation_id = ?"
            _ = arguments.append(contentsOf: [conversationID])
        }
        if let text = query.text {
            guard let match = FullTextQuery.match(for: text, account: query.accountID) else {
                return MessagePage(messages: [], next: nil)
            }
            sql += " AND rowid IN (SELECT rowid FROM message_words WHERE message_words MATCH ?)"
            _ = arguments.append(contentsOf: [match])
        }
        let (after, order) = query.oldestFirst ? (">", "ASC") : ("<", "DESC")
        if let cursor = query.cursor {
            sql += " AND (received_at \(after) ? OR (received_at = ? AND id \(after) ?))"
            _ = arguments.append(contentsOf: [cursor.receivedAt, cursor.receivedAt, cursor.messageID])
        }
        sql += " ORDER BY received_at \(order), id \(order) LIMIT ?"
        _ = arguments.append(contentsOf: [query.limit + 1])
        let rows = try await self.read { [sql, arguments] db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map(MessageRow.message(from:))
        }
        let page = Array(rows.prefix(query.limit))
        let next = rows.count > query.limit ? page.last.map(PageCursor.init(after:)) : nil
        return MessagePage(messages: page, next: next)
    }

    public func counts(of account: AccountID, mailbox: String?) async throws -> MessageCounts {
        try await self.read { db in
            var sql = "SELECT count(*) AS total, coalesce(sum(is_read = 0), 0) AS unread FROM messages WHERE account_id = ? AND deleted = 0"
            var arguments: StatementArguments = [account.description]
            if let mailbox {
                sql += " AND mailbox_id = ?"
                _ = arguments.append(contentsOf: [mailbox])
            }
            let row = try Row.fetchOne(db, sql: sql, arguments: arguments)
            return MessageCounts(total: row?["total"] ?? 0, unread: row?["unread"] ?? 0)
        }
    }

    // MARK: Message content

    public func saveContent(_ content: MessageContent, of message: String, of account: AccountID) async throws -> Bool {
        let json = String(decoding: try JSONEncoder().encode(content), as: UTF8.self)
        let text = content.searchableText
        return try await self.write { db in
            try db.execute(
                sql: "UPDATE messages SET body_text = ? WHERE account_id = ? AND id = ? AND deleted = 0",
                arguments: [text, account.description, message]
            )
            guard db.changesCount > 0 else { return false }
            try db.execute(
                sql: "INSERT OR REPLACE INTO message_contents (account_id, id, content) VALUES (?, ?, ?)",
                arguments: [account.description, message, json]
            )
            return true
        }
    }

    public func content(of message: String, of account: AccountID) async throws -> MessageContent? {
        let json = try await self.read { db in
            try String.fetchOne(
                db,
                sql: """
                    SELECT c.content FROM message_contents c JOIN messages m ON m.account_id = c.account_id AND m.id = c.id
                    WHERE c.account_id = ? AND c.id = ? AND m.deleted = 0
                    """,
                arguments: [account.description, message]
            )
        }
        guard let json else { return nil }
        do {
            return try JSONDecoder().decode(MessageContent.self, from: Data(json.utf8))
        } catch {
            throw MailStoreError.unavailable("the stored content of message \(message) is unreadable")
        }
    }

    // MARK: Sync state

    public func syncState(_ scope: SyncScope, of account: AccountID) async throws -> SyncState? {
        try await self.read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT * FROM sync_states WHERE account_id = ? AND scope = ?",
                arguments: [account.description, scope.description]
            ).flatMap { Self.syncState(from: $0, account: account) }
        }
    }

    public func saveSyncState(_ state: SyncState) async throws {
        try await self.write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO sync_states (account_id, scope, cursor, checkpoint, pages_stored, messages_stored, completed_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    state.accountID.description, state.scope.description, state.cursor, state.checkpoint,
                    state.pagesStored, state.messagesStored, state.completedAt.map(\.millisecondsSince1970),
                ]
            )
        }
    }

    public func syncStates(of account: AccountID) async throws -> [SyncState] {
        try await self.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM sync_states WHERE account_id = ? ORDER BY scope", arguments: [account.description])
                .compactMap { Self.syncState(from: $0, account: account) }
        }
    }

    // MARK: Rows

    /// The columns a ``Message`` is read from (not the body's words, which only the index needs).
    private static let messageColumns = MessageRow.columns.joined(separator: ", ")

    /// Runs a write transaction; a row refused because its account no longer exists becomes ``MailStoreError/notFound(_:)``.
    /// GRDB's errors stop here: callers see the port's ``MailStoreError`` (a write for a deleted account is
    /// `notFound`; anything else SQLite refuses is `unavailable`, with SQLite's words).
    private func write<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await self.pool.write(updates)
        } catch let error as DatabaseError where error.message == SQLiteSchema.accountMissing {
            throw MailStoreError.notFound("the account does not exist: it was deleted")
        } catch let error as DatabaseError {
            throw MailStoreError.unavailable("SQLite refused a write: \(error.resultCode) \(error.message ?? "")")
        }
    }

    private func read<T: Sendable>(_ value: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await self.pool.read(value)
        } catch let error as DatabaseError {
            throw MailStoreError.unavailable("SQLite refused a read: \(error.resultCode) \(error.message ?? "")")
        }
    }

    private static func accountArguments(_ account: Account) -> StatementArguments {
        [
            account.id.description, account.provider.rawValue, account.status.rawValue,
            account.identity?.providerUserID, account.identity?.displayName, account.identity?.address,
            account.createdAt.millisecondsSince1970, account.updatedAt.millisecondsSince1970, account.lastSyncedAt.map(\.millisecondsSince1970),
            account.subscription?.id, account.subscription.map(\.expiresAt.millisecondsSince1970), account.subscription?.notificationURL,
        ]
    }

    private static func account(from row: Row) throws -> Account {
        let idText: String = row["id"]
        let providerText: String = row["provider"]
        let statusText: String = row["status"]
        guard let id = AccountID(idText), let provider = MailProviderKind(rawValue: providerText),
            let status = AccountStatus(rawValue: statusText)
        else {
            throw MailStoreError.unavailable("account row \(idText) is unreadable")
        }
        var identity: AccountIdentity?
        if let providerUserID: String = row["provider_user_id"] {
            identity = AccountIdentity(providerUserID: providerUserID, displayName: row["display_name"] ?? "", address: row["address"] ?? "")
        }
        let lastSyncedAt: Int64? = row["last_synced_at"]
        var subscription: AccountSubscription?
        if let subscriptionID: String = row["subscription_id"], let expiresAt: Int64 = row["subscription_expires_at"] {
            subscription = AccountSubscription(
                id: subscriptionID,
                expiresAt: Date(millisecondsSince1970: expiresAt),
                notificationURL: row["subscription_notification_url"]
            )
        }
        return Account(
            id: id,
            provider: provider,
            status: status,
            identity: identity,
            createdAt: Date(millisecondsSince1970: row["created_at"]),
            updatedAt: Date(millisecondsSince1970: row["updated_at"]),
            lastSyncedAt: lastSyncedAt.map(Date.init(millisecondsSince1970:)),
            subscription: subscription
        )
    }

    private static func syncState(from row: Row, account: AccountID) -> SyncState? {
        guard let scope = SyncScope(row["scope"] as String) else { return nil }
        let completedAt: Int64? = row["completed_at"]
        return SyncState(
            accountID: account,
            scope: scope,
            cursor: row["cursor"],
            checkpoint: row["checkpoint"],
            pagesStored: row["pages_stored"],
            messagesStored: row["messages_stored"],
            completedAt: completedAt.map(Date.init(millisecondsSince1970:))
        )
    }
}
