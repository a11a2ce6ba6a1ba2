import Foundation
import Logging
import MailpulseCore
import MailpulseServer
import SQLiteStore
import TestSupport
import Testing

/// Subscriptions live as long as the account: renewed before expiry, replaced when Graph removes them, reauthorized
/// when asked, and replaced by polling when notifications cannot be had.
@Suite(.enabled(if: TestEnvironment.hasRedis, "needs REDIS_URL (make test provides it)"))
struct SubscriptionLifecycleTests {
    static func subscriptionID(_ node: TestNode, _ account: AccountID) async throws -> String? {
        try await node.store.account(account)?.subscription?.id
    }

    @Test func withoutWebhooksTheAccountIsPolledAndSaysDegraded() async throws {
        try await LinkHarness.run(webhooks: false, pollInterval: .seconds(1)) { harness in
            let mailbox = try await harness.createMailbox("ada@outlook.com", messages: 60)
            let (account, token) = try await ConvergenceScenario.link(harness, as: "ada@outlook.com")
            #expect(try await harness.waitForStatus(account.description, token: token, "degraded") == "degraded")
            let node = try TestNode(harness)
            #expect(try await Self.subscriptionID(node, account) == nil)
            #expect(try await ConvergenceScenario.requests(harness, "subscriptions", mailbox: mailbox) == 0)

            _ = try await ConvergenceScenario.randomChanges(harness, mailbox: mailbox, count: 20, seed: 5)
            try await ConvergenceScenario.expectConverged(harness, node, account, mailbox: mailbox, timeout: .seconds(20))
        }
    }

    @Test func aRemovedSubscriptionIsReplacedAndNotificationsFlowAgain() async throws {
        try await LinkHarness.run { harness in
            let mailbox = try await harness.createMailbox("ada@outlook.com", messages: 60)
            let (account, _) = try await TokenRefreshTests.link(harness, createMailbox: false)
            let node = try TestNode(harness)
            let old = try #require(try await Self.subscriptionID(node, account))
            try await harness.sendLifecycleEvent("subscriptionRemoved", for: old)
            #expect(try await TestEnvironment.eventually { try await Self.subscriptionID(node, account).map { $0 != old } ?? false })

            _ = try await ConvergenceScenario.randomChanges(harness, mailbox: mailbox, count: 20, seed: 6)
            try await ConvergenceScenario.expectConverged(harness, node, account, mailbox: mailbox, timeout: .seconds(20))
        }
    }

    @Test func reauthorizationRequiredIsAnswered() async throws {
        try await LinkHarness.run { harness in
            let mailbox = try await harness.createMailbox("ada@outlook.com", messages: 5)
            let (account, _) = try await TokenRefreshTests.link(harness, createMailbox: false)
            let node = try TestNode(harness)
            let id = try #require(try await Self.subscriptionID(node, account))
            try await harness.sendLifecycleEvent("reauthorizationRequired", for: id)
            #expect(
                try await TestEnvironment.eventually {
                    try await ConvergenceScenario.requests(harness, "subscriptions/{id}/reauthorize", mailbox: mailbox) == 1
                }
            )
            #expect(try await Self.subscriptionID(node, account) == id)
        }
    }

    @Test func subscriptionsNearExpiryAreRenewedByTheLeaderAndByTheCommand() async throws {
        // A margin of a week makes every subscription due at every pass.
        try await LinkHarness.run(renewalInterval: .seconds(1), renewalMargin: .seconds(7 * 86_400)) { harness in
            let mailbox = try await harness.createMailbox("ada@outlook.com", messages: 5)
            let (account, _) = try await TokenRefreshTests.link(harness, createMailbox: false)
            let node = try TestNode(harness)
            let first = try #require(try await node.store.account(account)?.subscription)
            #expect(
                try await TestEnvironment.eventually { try await ConvergenceScenario.requests(harness, "subscriptions/{id}", mailbox: mailbox) >= 1 }
            )
            #expect(
                try await TestEnvironment.eventually {
                    try await node.store.account(account)?.subscription?.expiresAt ?? .distantPast > first.expiresAt
                }
            )
            #expect(try await Self.subscriptionID(node, account) == first.id)

            let report = try await MailpulseCommands.renewSubscriptions(configuration: harness.configuration, logger: Logger(label: "test"))
            #expect(report.contains("renewed 1"), "\(report)")
        }
    }

    @Test func aSubscriptionToAnOldAddressIsReplacedWhenTheServiceMoves() async throws {
        try await LinkHarness.run { harness in
            let mailbox = try await harness.createMailbox("ada@outlook.com", messages: 60)
            let (account, _) = try await TokenRefreshTests.link(harness, createMailbox: false)
            let node = try TestNode(harness)
            let first = try #require(try await node.store.account(account)?.subscription)
            #expect(first.notificationURL == "\(harness.publicURL)/webhooks/graph")

            // The same service at another address, as after a tunnel's restart: the renewal pass moves the subscription.
            var moved = harness.configuration
            moved.publicURL = harness.publicURL.replacingOccurrences(of: "127.0.0.1", with: "localhost")
            let report = try await MailpulseCommands.renewSubscriptions(configuration: moved, logger: Logger(label: "test"))
            #expect(report.contains("recreated 1"), "\(report)")
            let second = try #require(try await node.store.account(account)?.subscription)
            #expect(second.id != first.id)
            #expect(second.notificationURL == "\(moved.resolvedPublicURL)/webhooks/graph")
            let again = try await MailpulseCommands.renewSubscriptions(configuration: moved, logger: Logger(label: "test"))
            #expect(again.contains("recreated 0"), "a subscription at the current address stays: \(again)")

            _ = try await ConvergenceScenario.randomChanges(harness, mailbox: mailbox, count: 10, seed: 9)
            try await ConvergenceScenario.expectConverged(harness, node, account, mailbox: mailbox, timeout: .seconds(20))
        }
    }

    @Test func theSubscriptionGetsTheLongestExpiryGraphAllows() async throws {
        try await LinkHarness.run { harness in
            try await harness.createMailbox("ada@outlook.com", messages: 5)
            // Graph's older limit: "Subscription expiration can only be 4230 minutes in the future."
            #expect(try await harness.send("PUT", "\(harness.simulator)/sim/faults", json: #"{"subscriptionMaxMinutes":4230}"#).status == 200)
            let (account, _) = try await TokenRefreshTests.link(harness, createMailbox: false)
            let subscription = try #require(try await TestNode(harness).store.account(account)?.subscription)
            let minutes = subscription.expiresAt.timeIntervalSinceNow / 60
            #expect(minutes > 4_200 && minutes <= 4_230, "\(minutes) minutes")
        }
    }
}
