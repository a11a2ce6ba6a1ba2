import Foundation
import GRDB
import MailpulseCore
import TestSupport
import Testing

@testable import SQLiteStore

/// The SQLite store keeps accounts apart below the contract: a search reads only its own account's words, and
/// nothing can be written for an account that no longer exists.
@Suite struct SQLiteAccountScopeTests {
    @Test func aSearchMatchesOnlyItsOwnAccountsWordsHoweverMuchMailOthersHold() async throws {
        let folder = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("mail.sqlite").path
        let store = try SQLiteMailStore(path: path)
        try await store.prepare()
        let crowded = try await MailFixtures.createdAccount(in: store)
        for batch in 0..<4 {
            _ = try await store.upsertMessages(
                (0..<5_000).map { MailFixtures.message("m\(batch)-\($0)", account: crowded, subject: "about apples \($0)", receivedAt: Int64($0)) }
            )
        }
        let fresh = try await MailFixtures.createdAccount(in: store)
        _ = try await store.upsertMessages([MailFixtures.message("mine", account: fresh, subject: "avocado")])

        #expect(try await store.messages(MessageQuery(accountID: fresh, text: "a")).messages.map(\.id) == ["mine"])
        // The index itself answers with the account's own rows only: the 20,000 of the other account are never read.
        let match = try #require(FullTextQuery.match(for: "a", account: fresh))
        let queue = try DatabaseQueue(path: path)
        let matched = try await queue.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM message_words WHERE message_words MATCH ?", arguments: [match])
        }
        #expect(matched == 1)
    }

    @Test func nothingIsWrittenForAnAccountThatWasDeleted() async throws {
        let folder = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteMailStore(path: folder.appendingPathComponent("mail.sqlite").path)
        try await store.prepare()
        let account = try await MailFixtures.createdAccount(in: store)
        _ = try await store.upsertMessages([MailFixtures.message("before", account: account)])
        try await store.deleteAccount(account)

        // What a sync or a worker still running would write next.
        await #expect(throws: MailStoreError.notFound("")) {
            try await store.upsertMessages([MailFixtures.message("after", account: account)])
        }
        await #expect(throws: MailStoreError.notFound("")) {
            try await store.deleteMessages([MessageDeletion(accountID: account, messageID: "before", version: 1)])
        }
        await #expect(throws: MailStoreError.notFound("")) {
            try await store.upsertMailboxes([Mailbox(accountID: account, id: "inbox", displayName: "Inbox")])
        }
        await #expect(throws: MailStoreError.notFound("")) {
            try await store.saveSyncState(SyncState(accountID: account, scope: .folders, cursor: "delta"))
        }
        #expect(try await store.counts(of: account, mailbox: nil) == MessageCounts(total: 0, unread: 0))
        #expect(try await store.mailboxes(of: account).isEmpty)
        #expect(try await store.syncStates(of: account).isEmpty)
    }
}
