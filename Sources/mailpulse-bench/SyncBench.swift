import Foundation
import MailpulseCore
import MailpulseServer
import SQLiteStore
import TestSupport

/// Initial sync: a large mailbox from graph-sim into SQLite, beside the store's batch upserts alone.
enum SyncBench {
    /// Messages of the pair of runs that price `SYNC_BODIES_DAYS`: every body is one Graph request, and a mailbox may
    /// make 10,000 in 10 minutes, so a larger mailbox would measure the rate limit rather than the work.
    static let bodiesMessages = 2_000

    static func run(_ settings: BenchSettings, run: Int) async throws -> [BenchFigure] {
        let rate = try await Self.initialSyncRate(messages: settings.messages, address: "sync\(run)@outlook.com")
        let raw = try await Self.rawUpsertRate(messages: settings.messages)
        let withoutBodies = try await Self.initialSyncRate(messages: Self.bodiesMessages, address: "plain\(run)@outlook.com")
        let withBodies = try await Self.initialSyncRate(messages: Self.bodiesMessages, address: "bodies\(run)@outlook.com") {
            $0.syncBodiesDays = 36_500
        }
        return [
            BenchFigure(
                "Initial sync, \(settings.messages.formatted()) messages from graph-sim into SQLite",
                rate,
                unit: "messages/s",
                baseline: "SQLite batch upserts alone",
                raw,
                target: "≥ 5,000 messages/s"
            ),
            BenchFigure(
                "Initial sync of \(Self.bodiesMessages.formatted()) messages with every body (SYNC_BODIES_DAYS)",
                withBodies,
                unit: "messages/s",
                baseline: "the same sync without bodies",
                withoutBodies,
                target: "the price of search over bodies before they are opened"
            ),
        ]
    }

    /// Messages per second of an initial sync of a new mailbox of `messages`, the service configured by `configure`.
    static func initialSyncRate(
        messages: Int,
        address: String,
        configure: (inout MailpulseConfiguration) -> Void = { _ in }
    ) async throws -> Double {
        try await BenchRun.with(configure: configure) { bench in
            _ = try await bench.createMailbox(address, messages: messages)
            let (account, token, start) = try await bench.link(address)
            try await bench.waitUntil(account, token: token)
            return Double(messages) / (ContinuousClock.now - start).timeInterval
        }
    }

    /// The store alone: the same number of messages upserted in pages of 250 into a fresh SQLite file.
    static func rawUpsertRate(messages: Int) async throws -> Double {
        let folder = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteMailStore(path: folder.appendingPathComponent("raw.sqlite").path)
        try await store.prepare()
        let account = AccountID.random()
        let now = Date().millisecondsSince1970
        try await store.createAccount(Account(id: account, provider: .outlook, status: .live, createdAt: Date(), updatedAt: Date()))
        let batch = Self.messages(messages, of: account, now: now)
        let start = ContinuousClock.now
        for page in stride(from: 0, to: batch.count, by: 250) {
            _ = try await store.upsertMessages(Array(batch[page..<min(page + 250, batch.count)]))
        }
        return Double(messages) / (ContinuousClock.now - start).timeInterval
    }

    /// `count` messages of the kind Outlook's delta pages bring, newest first, one a minute before `now`.
    static func messages(_ count: Int, of account: AccountID, now: Int64) -> [Message] {
        (0..<count).map { index in
            Message(
                accountID: account,
                id: "AAMkAD\(index)",
                mailboxID: "inbox",
                internetMessageID: "<\(index)@example.com>",
                conversationID: "conversation-\(index / 3)",
                subject: "Quarterly report \(index)",
                from: EmailAddress(name: "Grace Hopper", address: "grace@example.net"),
                sender: EmailAddress(name: "Grace Hopper", address: "grace@example.net"),
                toRecipients: [EmailAddress(name: "Ada", address: "ada@outlook.com")],
                ccRecipients: [],
                receivedAt: now - Int64(index) * 60_000,
                sentAt: now - Int64(index) * 60_000,
                isRead: index % 2 == 0,
                isDraft: false,
                flag: .notFlagged,
                importance: .normal,
                hasAttachments: false,
                bodyPreview: "Numbers for the quarter, message \(index), with a preview of some length like Outlook's.",
                categories: [],
                version: MessageVersion(sequence: now, changeKey: "CQAAAB\(index)")
            )
        }
    }
}
