internal import Foundation
internal import Logging
internal import MailpulseCore
internal import SyncEngine

/// Deletes an account from everything that holds it: its subscription at the provider, its tokens, its rows in the
/// store (which from then on refuses any write for it, so a sync or worker still running on some node stops at its
/// next write), its keys in Redis, and its open sockets on every node.
struct AccountRemoval: Sendable {
    /// Events a write published just before the deletion may reach Redis just after it: the keys are removed again
    /// after this long.
    static let lateEventGrace = Duration.seconds(5)

    let store: any MailStore
    let tokenVault: any TokenVault
    let subscriptions: SubscriptionManager
    let backplane: any Backplane
    let events: any AccountEventLog

    func remove(_ account: AccountID, logger: Logger) async throws {
        do {
            try await self.subscriptions.unsubscribe(account)
        } catch {
            // An unrenewed subscription ends by itself; the account is deleted regardless.
            logger.warning("Subscription not removed", metadata: ["account.id": "\(account)", "error.type": "\(type(of: error))"])
        }
        try await self.tokenVault.remove(for: account)
        try await self.store.deleteAccount(account)
        try await self.forgetInRedis(account)
        logger.info("Account deleted", metadata: ["account.id": "\(account)"])
        Task {
            try? await Task.sleep(for: Self.lateEventGrace)
            try? await self.forgetInRedis(account)
        }
    }

    private func forgetInRedis(_ account: AccountID) async throws {
        try await self.backplane.forget([
            RateLimitedMailProvider.mailboxKey(account), AccessTokenSource.lockKey(account), AccountSyncService.lockKey(account),
            MessageController.sendBucket(account),
        ])
        try await self.backplane.silenceDoorbells(startingWith: DoorbellService.namePrefixes(of: account))
        try await self.events.forget(account)
    }
}
