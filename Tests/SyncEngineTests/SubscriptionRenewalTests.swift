import Foundation
import MailpulseCore
import SyncEngine
import Testing

/// The renewal pass: subscriptions near their expiry are renewed, lost ones made again and their accounts caught up.
@Suite struct SubscriptionRenewalTests {
    /// A live account whose subscription, at this engine's endpoints, expires in `expiresIn`; its secret is in the
    /// directory when `registered`.
    static func subscribed(expiresIn: TimeInterval, registered: Bool) async throws -> SyncEngineFixtures {
        let engine = try await SyncEngineFixtures.linked(subscribed: false, status: .live)
        let subscription = AccountSubscription(
            id: "subscription-1",
            expiresAt: Date() + expiresIn,
            notificationURL: SyncEngineFixtures.endpoints.notificationURL
        )
        var account = try #require(try await engine.store.account(engine.account))
        account.subscription = subscription
        try await engine.store.updateAccount(account)
        if registered {
            try await engine.directory.register(subscription.id, account: engine.account, clientState: "secret", expiresAt: subscription.expiresAt)
        }
        return engine
    }

    @Test func aSubscriptionNearItsExpiryIsRenewed() async throws {
        let engine = try await Self.subscribed(expiresIn: 3600, registered: true)
        let report = await engine.renewalService { _ in Issue.record("nothing to catch up") }.pass()
        #expect(report.renewed == 1 && report.recreatedAccounts.isEmpty && report.failed == 0)
        let expiresAt = try #require(try await engine.store.account(engine.account)?.subscription?.expiresAt)
        #expect(expiresAt > Date() + 86_400, "renewed for days, not the hour it had left")
        #expect(engine.events.events(of: engine.account) == [.activity("Subscription renewed")])
    }

    @Test func aSubscriptionWhoseSecretWasLostIsMadeAgainAndTheAccountCatchesUp() async throws {
        let engine = try await Self.subscribed(expiresIn: 5 * 86_400, registered: false)
        // The pass reports the account; the service (or the command) then asks for its backfill.
        let report = await engine.renewalService { _ in }.pass()
        #expect(report.recreatedAccounts == [engine.account])
        #expect(try await engine.store.account(engine.account)?.subscription?.id != "subscription-1")
        #expect(engine.directory.subscriptions.values.map { $0 } == [engine.account])
    }

    @Test func aSubscriptionFarFromItsExpiryIsLeftAlone() async throws {
        let engine = try await Self.subscribed(expiresIn: 5 * 86_400, registered: true)
        let report = await engine.renewalService { _ in }.pass()
        #expect(report.checked == 1 && report.renewed == 0 && report.recreatedAccounts.isEmpty && report.failed == 0)
        #expect(engine.events.events(of: engine.account).isEmpty)
    }
}
