import Foundation
import MailpulseCore
import MailpulseServer
import SQLiteStore
import SyncEngine
import TestSupport
import Testing

@Suite(.enabled(if: TestEnvironment.hasRedis, "needs REDIS_URL (make test provides it)"))
struct MailboxSyncTests {
    /// The simulator's truth as id → (folder, isRead, flag).
    static func truth(_ harness: LinkHarness, mailbox: String) async throws -> [String: String] {
        let state = try await harness.send("GET", "\(harness.simulator)/sim/mailboxes/\(mailbox)/state")
        let messages = try #require(state.json["messages"] as? [[String: Any]])
        return Dictionary(
            uniqueKeysWithValues: messages.map { message in
                let id = message["id"] as? String ?? ""
                return (id, "\(message["folderId"] ?? "") \(message["isRead"] ?? "") \(message["flag"] ?? "")")
            }
        )
    }

    /// The store's mirror in the same form.
    static func mirror(_ node: TestNode, _ account: AccountID) async throws -> [String: String] {
        var result: [String: String] = [:]
        var cursor: PageCursor?
        repeat {
            let page = try await node.store.messages(MessageQuery(accountID: account, limit: 1000, cursor: cursor))
            for message in page.messages { result[message.id] = "\(message.mailboxID) \(message.isRead ? 1 : 0) \(message.flag.rawValue)" }
            cursor = page.next
        } while cursor != nil
        return result
    }

    static func expectConverged(_ harness: LinkHarness, _ node: TestNode, _ account: AccountID, mailbox: String) async throws {
        let truth = try await Self.truth(harness, mailbox: mailbox)
        let mirror = try await Self.mirror(node, account)
        #expect(truth.count >= 50)
        let missing = Set(truth.keys).subtracting(mirror.keys)
        let extra = Set(mirror.keys).subtracting(truth.keys)
        #expect(missing.isEmpty && extra.isEmpty, "missing \(missing.count) \(missing.prefix(3)), extra \(extra.count) \(extra.prefix(3))")
        // JSON booleans arrive as 1/0 from JSONSerialization, so compare through the same rendering.
        let wrong = truth.filter { id, expected in mirror[id] != nil && mirror[id] != expected }
        #expect(wrong.isEmpty, "\(wrong.count) differ, e.g. \(wrong.prefix(3).map { "\($0.key): \(mirror[$0.key]!) ≠ \($0.value)" })")
    }

    @Test func syncMirrorsTheMailboxAndFollowsReadsFlagsMovesDeletesAndArrivals() async throws {
        try await LinkHarness.run { harness in
            let mailbox = try await harness.createMailbox("ada@outlook.com", messages: 60)
            let (account, _) = try await TokenRefreshTests.link(harness, createMailbox: false)
            let node = try TestNode(harness)
            let synchronizer = node.synchronizer

            try await synchronizer.sync(account)
            try await Self.expectConverged(harness, node, account, mailbox: mailbox)
            #expect(try await node.store.account(account)?.status == .live)
            #expect(try await node.store.mailboxes(of: account).contains { $0.wellKnownName == "inbox" })

            let ids = Array(try await Self.truth(harness, mailbox: mailbox).keys.sorted())
            let sim = "\(harness.simulator)/sim/mailboxes/\(mailbox)/messages"
            _ = try await harness.send("PATCH", "\(sim)/\(ids[0])", json: #"{"isRead":true}"#)
            _ = try await harness.send("PATCH", "\(sim)/\(ids[1])", json: #"{"flag":"flagged","isRead":false}"#)
            _ = try await harness.send("POST", "\(sim)/\(ids[2])/move", json: #"{"destination":"archive"}"#)
            _ = try await harness.send("DELETE", "\(sim)/\(ids[3])?permanent=true")
            _ = try await harness.send("DELETE", "\(sim)/\(ids[4])")
            _ = try await harness.send("POST", sim, json: #"{"folder":"inbox","subject":"new","from":{"name":"G","address":"g@example.net"}}"#)

            try await synchronizer.sync(account)
            try await Self.expectConverged(harness, node, account, mailbox: mailbox)
            #expect(try await node.store.message(ids[3], of: account) == nil)

            // Expired cursors: every folder starts over, and what is gone meanwhile is swept.
            _ = try await harness.send("PUT", "\(harness.simulator)/sim/faults", json: #"{"expireDeltaTokens":true}"#)
            _ = try await harness.send("DELETE", "\(sim)/\(ids[5])?permanent=true")
            _ = try await harness.send("PUT", "\(harness.simulator)/sim/faults", json: "{}")
            try await synchronizer.sync(account)
            try await Self.expectConverged(harness, node, account, mailbox: mailbox)
        }
    }

    @Test func linkingStartsTheInitialSyncAndTheAccountGoesLive() async throws {
        try await LinkHarness.run { harness in
            let mailbox = try await harness.createMailbox("ada@outlook.com", messages: 80)
            let (account, token) = try await TokenRefreshTests.link(harness, createMailbox: false)
            #expect(try await harness.waitForStatus(account.description, token: token, "live") == "live")
            try await Self.expectConverged(harness, try TestNode(harness), account, mailbox: mailbox)
        }
    }

    @Test func theScheduleBringsOutlookChangesIntoTheStore() async throws {
        try await LinkHarness.run(syncInterval: .milliseconds(200)) { harness in
            let mailbox = try await harness.createMailbox("ada@outlook.com", messages: 10)
            let (account, _) = try await TokenRefreshTests.link(harness, createMailbox: false)
            let node = try TestNode(harness)
            let unread = try #require(try await Self.truth(harness, mailbox: mailbox).first { $0.value.hasSuffix("0 notFlagged") }?.key)
            _ = try await harness.send("PATCH", "\(harness.simulator)/sim/mailboxes/\(mailbox)/messages/\(unread)", json: #"{"isRead":true}"#)
            let deadline = ContinuousClock.now + .seconds(20)
            while try await node.store.message(unread, of: account)?.isRead != true, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(try await node.store.message(unread, of: account)?.isRead == true)
        }
    }

    @Test func resyncBringsChangesInOnDemand() async throws {
        try await LinkHarness.run { harness in
            let mailbox = try await harness.createMailbox("ada@outlook.com", messages: 10)
            let (account, _) = try await TokenRefreshTests.link(harness, createMailbox: false)
            let sim = "\(harness.simulator)/sim/mailboxes/\(mailbox)/messages"
            let arrival = try await harness.send("POST", sim, json: #"{"subject":"resync me"}"#)
            let id = try #require(arrival.json["id"] as? String)
            let node = try TestNode(harness)
            #expect(try await node.store.message(id, of: account) == nil)
            try await MailpulseCommands.resync(account: account, configuration: harness.configuration, logger: harness.logs.logger())
            #expect(try await node.store.message(id, of: account)?.subject == "resync me")
            await #expect(throws: ConfigurationError.self) {
                try await MailpulseCommands.resync(account: .random(), configuration: harness.configuration, logger: harness.logs.logger())
            }
        }
    }
}
