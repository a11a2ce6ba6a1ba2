import Foundation
import MailpulseCore
import MailpulseServer
import Redis
import RedisBackplane
import SQLiteStore
import TestSupport
import Testing

/// The mirror equals the simulator's truth after changes made during the initial sync, with and without Graph's
/// faults, across a crash, and across two nodes.
@Suite(.enabled(if: TestEnvironment.hasRedis, "needs REDIS_URL (make test provides it)"))
struct ConvergenceTests {
    static let deltaEndpoint = "me/mailfolders/{id}/messages/delta"
    static let messageEndpoint = "me/messages/{id}"

    @Test func changesDuringTheInitialSyncConverge() async throws {
        try await LinkHarness.run(graphPageSize: 25) { harness in
            let mailbox = try await harness.createMailbox("ada@outlook.com", messages: 2000)
            let (account, token) = try await ConvergenceScenario.link(harness, as: "ada@outlook.com")
            let statusAtFirstChange = try await harness.account(account.description, token: token).json["status"] as? String
            _ = try await ConvergenceScenario.randomChanges(harness, mailbox: mailbox, count: 300, seed: 1)
            #expect(["linked", "syncing"].contains(statusAtFirstChange), "the changes must start during the initial sync")
            #expect(try await harness.waitForStatus(account.description, token: token, "live") == "live")
            try await ConvergenceScenario.expectConverged(harness, try TestNode(harness), account, mailbox: mailbox)
        }
    }

    @Test func changesConvergeThroughDropsDuplicatesDelaysErrorsThrottlingAndExpiredCursors() async throws {
        try await LinkHarness.run(graphPageSize: 25) { harness in
            let mailbox = try await harness.createMailbox("ada@outlook.com", messages: 2000)
            let faults = """
                {"dropNotifications":0.2,"duplicateNotifications":0.3,"notificationDelayMs":[0,2000],"reorderNotifications":true,\
                "serverErrorRate":0.05,"throttleRate":0.03,"throttle":{"requestsPer10Minutes":1000,"concurrent":4}
                """
            #expect(try await harness.send("PUT", "\(harness.simulator)/sim/faults", json: faults + "}").status == 200)
            let (account, token) = try await ConvergenceScenario.link(harness, as: "ada@outlook.com")
            _ = try await ConvergenceScenario.randomChanges(harness, mailbox: mailbox, count: 150, seed: 2)
            // Every delta and skip token issued so far expires: the sync in progress starts its folder over.
            let expiry = faults + ",\"expireDeltaTokens\":true}"
            #expect(try await harness.send("PUT", "\(harness.simulator)/sim/faults", json: expiry).status == 200)
            _ = try await ConvergenceScenario.randomChanges(harness, mailbox: mailbox, count: 150, seed: 3)
            let status = try await harness.waitForStatus(account.description, token: token, "live", timeout: .seconds(120))
            #expect(status == "live")

            // Graph says when it dropped notifications: a `missed` lifecycle event, which starts a backfill.
            #expect(try await harness.send("PUT", "\(harness.simulator)/sim/faults", json: "{}").status == 200)
            let node = try TestNode(harness)
            let subscription = try #require(try await node.store.account(account)?.subscription)
            try await harness.sendLifecycleEvent("missed", for: subscription.id)
            try await ConvergenceScenario.expectConverged(harness, node, account, mailbox: mailbox)

            #expect(try await ConvergenceScenario.stat(harness, "throttled") > 0, "the test must provoke 429s")
            #expect(try await ConvergenceScenario.stat(harness, "requestsDuringRetryAfter") == 0)
            #expect(try await ConvergenceScenario.stat(harness, "notificationsDropped") > 0)
        }
    }

    /// Issue 17's scenario with the service's defaults and no scheduled round: what notifications lose, the folders'
    /// doorbell rounds repair within a minute of the last change.
    @Test func changesUnderNotificationFaultsConvergeWithinAMinuteOfTheLastChange() async throws {
        try await LinkHarness.run { harness in
            let mailbox = try await harness.createMailbox("ada@outlook.com", messages: 600)
            let faults = """
                {"dropNotifications":0.2,"duplicateNotifications":0.3,"notificationDelayMs":[0,2000],"reorderNotifications":true,\
                "serverErrorRate":0.05}
                """
            #expect(try await harness.send("PUT", "\(harness.simulator)/sim/faults", json: faults).status == 200)
            let (account, token) = try await ConvergenceScenario.link(harness, as: "ada@outlook.com")
            let statusAtFirstChange = try await harness.account(account.description, token: token).json["status"] as? String
            _ = try await ConvergenceScenario.randomChanges(harness, mailbox: mailbox, count: 120, seed: 5)
            #expect(["linked", "syncing"].contains(statusAtFirstChange), "the changes must start during the initial sync")
            let node = try TestNode(harness)
            let converged = try await TestEnvironment.eventually(timeout: .seconds(60)) {
                try await MailboxSyncTests.mirror(node, account) == MailboxSyncTests.truth(harness, mailbox: mailbox)
            }
            #expect(converged, "mirror == truth within 60 s of the last change")
            #expect(try await ConvergenceScenario.stat(harness, "notificationsDropped") > 0, "the test must drop notifications")
        }
    }

    @Test func aNodeKilledDuringTheInitialSyncResumesFromItsCheckpoint() async throws {
        try await LinkHarness.runProcesses(count: 1, graphPageSize: 20) { harness, nodes in
            let mailbox = try await harness.createMailbox("ada@outlook.com", messages: 2000)
            let (account, token) = try await ConvergenceScenario.link(harness, as: "ada@outlook.com")
            _ = try await TestEnvironment.eventually(timeout: .seconds(60)) {
                try await ConvergenceScenario.requests(harness, Self.deltaEndpoint, mailbox: mailbox) >= 30
            }
            nodes[0].kill()
            let pagesBeforeKill = try await ConvergenceScenario.requests(harness, Self.deltaEndpoint, mailbox: mailbox)
            let node = try TestNode(harness)
            #expect(try await node.store.account(account)?.status == .syncing, "killed before the initial sync finished")

            try await nodes[0].start()
            #expect(try await harness.waitForStatus(account.description, token: token, "live") == "live")
            let pagesAfterRestart = try await ConvergenceScenario.requests(harness, Self.deltaEndpoint, mailbox: mailbox) - pagesBeforeKill
            let truth = try await MailboxSyncTests.truth(harness, mailbox: mailbox)
            let folders = Dictionary(grouping: truth.values, by: { $0.split(separator: " ")[0] })
            let freshPages = folders.values.reduce(0) { $0 + max(1, ($1.count + 19) / 20) }
            #expect(pagesAfterRestart < freshPages, "resumed: \(pagesAfterRestart) pages after the restart, \(freshPages) for a fresh sync")
            try await ConvergenceScenario.expectConverged(harness, node, account, mailbox: mailbox)
        }
    }

    @Test func twoNodesShareTheWorkAndKillingOneLosesNothing() async throws {
        try await LinkHarness.runProcesses(count: 2) { harness, nodes in
            let mailbox = try await harness.createMailbox("ada@outlook.com", messages: 200)
            let (account, token) = try await ConvergenceScenario.link(harness, as: "ada@outlook.com")
            #expect(try await harness.waitForStatus(account.description, token: token, "live") == "live")
            let node = try TestNode(harness)
            try await ConvergenceScenario.expectConverged(harness, node, account, mailbox: mailbox)
            let fetchesBefore = try await ConvergenceScenario.requests(harness, Self.messageEndpoint, mailbox: mailbox)

            // The webhooks go to the first node; the second's workers share the stream. While the user makes changes,
            // the second node is frozen for short spells (Redis keeps handing entries to its blocked reads) until it
            // holds entries it has not finished; then it dies, and the first node must claim them.
            let pid = try #require(nodes[1].processIdentifier)
            let consumer = "-\(pid)-"
            async let changes = ConvergenceScenario.randomChanges(harness, mailbox: mailbox, count: 150, seed: 4)
            var held = 0
            let deadline = ContinuousClock.now + .seconds(30)
            while held == 0, ContinuousClock.now < deadline {
                nodes[1].freeze()
                try await Task.sleep(for: .milliseconds(300))
                held = try await Self.pendingEntries(harness, consumerPrefix: consumer)
                if held == 0 {
                    nodes[1].thaw()
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
            nodes[1].kill()
            let changed = try await changes
            #expect(held > 0, "the second node must die holding entries for the test to mean something")

            try await ConvergenceScenario.expectConverged(harness, node, account, mailbox: mailbox)
            let fetches = try await ConvergenceScenario.requests(harness, Self.messageEndpoint, mailbox: mailbox) - fetchesBefore
            #expect(fetches <= changed.fetchable, "\(fetches) fetches for \(changed.fetchable) changes that need one")
            let queue = RedisChangeQueue(client: TestEnvironment.redisClient(maximumConnections: 1), prefix: harness.configuration.redisPrefix)
            #expect(try await queue.deadLetterCount() == 0)
        }
    }

    /// Entries received and not yet acknowledged by the consumers whose name contains `consumerPrefix`.
    static func pendingEntries(_ harness: LinkHarness, consumerPrefix: String) async throws -> Int {
        let client = TestEnvironment.redisClient(maximumConnections: 1)
        let summary = try await client.send(["XPENDING", RedisArgument("\(harness.configuration.redisPrefix)notifications"), "workers"])
        let consumers: [RedisValue] = summary.array?.last?.array ?? []
        var total = 0
        for consumer in consumers {
            guard let pair = consumer.array, pair.count == 2, let name = pair[0].string, name.contains(consumerPrefix) else { continue }
            total += Int(pair[1].string ?? "") ?? 0
        }
        return total
    }
}
