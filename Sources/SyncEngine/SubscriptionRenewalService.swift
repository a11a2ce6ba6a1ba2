internal import Foundation
public import Logging
public import MailpulseCore
internal import Metrics
public import ServiceLifecycle

/// The renewal leader: every `interval` one node (whichever takes the backplane's lease)
/// makes a pass over the accounts, renewing subscriptions close to expiry, recreating lost ones (then backfilling)
/// and trying again for accounts that run on polling.
public final class SubscriptionRenewalService: Service, CustomStringConvertible {
    /// What a pass did.
    public struct Report: Sendable, Equatable, CustomStringConvertible {
        /// Accounts looked at.
        public var checked = 0
        /// Subscriptions renewed.
        public var renewed = 0
        /// Accounts left on polling.
        public var polling = 0
        /// Accounts whose renewal failed.
        public var failed = 0
        /// Accounts whose subscription was recreated: they need a backfill.
        public var recreatedAccounts: [AccountID] = []

        public var description: String {
            "checked \(self.checked), renewed \(self.renewed), recreated \(self.recreatedAccounts.count), polling \(self.polling), failed \(self.failed)"
        }
    }

    private let subscriptions: SubscriptionManager
    private let store: any MailStore
    private let backplane: any Backplane
    private let interval: Duration
    private let events: any AccountEventPublisher
    private let clock: any Clock<Duration>
    private let describe: @Sendable (any Error) -> String
    private let logger: Logger
    private let backfill: @Sendable (AccountID) async -> Void

    /// Creates the leader: a pass every `interval` on `clock` (the backplane's); `describe` turns a failure into the
    /// sentence people read; `backfill` asks for a delta round of an account whose subscription was recreated.
    public init(
        subscriptions: SubscriptionManager,
        store: any MailStore,
        backplane: any Backplane,
        interval: Duration,
        events: any AccountEventPublisher,
        clock: any Clock<Duration> = ContinuousClock(),
        describe: @escaping @Sendable (any Error) -> String,
        logger: Logger,
        backfill: @escaping @Sendable (AccountID) async -> Void
    ) {
        self.subscriptions = subscriptions
        self.store = store
        self.backplane = backplane
        self.interval = interval
        self.events = events
        self.clock = clock
        self.describe = describe
        self.logger = logger
        self.backfill = backfill
    }

    public var description: String { "SubscriptionRenewalService" }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            await self.lead()
        }
    }

    private func lead() async {
        while !Task.isCancelled {
            do {
                // The lease outlives the pass's start on every node, so one node leads each round; it is not
                // released, so the others skip this round.
                if try await self.backplane.lock("subscription-renewal", ttl: self.interval * 0.9) != nil {
                    let report = await self.passAndBackfill()
                    if report != Report(checked: report.checked) {
                        self.logger.info("Subscription renewal pass", metadata: ["report": "\(report)"])
                    }
                }
            } catch {
                self.logger.warning("Subscription renewal pass not run", metadata: ["error.type": "\(error)"])
            }
            try? await self.clock.sleep(for: self.interval)
        }
    }

    /// A pass right after the webhooks moved (a tunnel's new address), so subscriptions follow within seconds rather
    /// than at the next round; under a short lock of its own, so the nodes that all saw the move run one pass.
    public func passAfterMove() async {
        do {
            guard let grant = try await self.backplane.lock("subscription-move", ttl: .seconds(60)) else { return }
            let report = await self.passAndBackfill()
            _ = try? await self.backplane.unlock(grant)
            self.logger.info("Subscription pass after the webhooks moved", metadata: ["report": "\(report)"])
        } catch {
            self.logger.warning("Subscription pass after the webhooks moved not run", metadata: ["error.type": "\(error)"])
        }
    }

    /// A pass, then a backfill of each account whose subscription it recreated (notifications may have been missed).
    private func passAndBackfill() async -> Report {
        let report = await self.pass()
        for account in report.recreatedAccounts {
            await self.backfill(account)
        }
        return report
    }

    /// One pass over every account; the report names the accounts whose subscription was recreated.
    public func pass() async -> Report {
        var report = Report()
        do {
            try await self.store.forEachAccount { account in
                report.checked += 1
                do {
                    switch try await self.subscriptions.maintain(account) {
                    case .unchanged: break
                    case .renewed:
                        report.renewed += 1
                        Counter(label: "mailpulse_subscription_renewals_total", dimensions: [("outcome", "renewed")]).increment()
                        await self.events.publish(.activity("Subscription renewed"), for: account.id)
                    case .polling: report.polling += 1
                    case .recreated:
                        report.recreatedAccounts.append(account.id)
                        Counter(label: "mailpulse_subscription_renewals_total", dimensions: [("outcome", "recreated")]).increment()
                        await self.events.publish(.activity("Subscription recreated; catching up with a backfill"), for: account.id)
                    }
                } catch {
                    report.failed += 1
                    Counter(label: "mailpulse_subscription_renewals_total", dimensions: [("outcome", "failed")]).increment()
                    self.logger.warning("Subscription not renewed", metadata: ["account.id": "\(account.id)", "error.type": "\(error)"])
                    await self.events.publish(.activity("Subscription renewal failed. \(self.describe(error))"), for: account.id)
                }
            }
        } catch {
            // Each account's failure is caught above: what reaches here is the listing's.
            self.logger.warning("Accounts not listed for renewal", metadata: ["error.type": "\(error)"])
            report.failed += 1
        }
        return report
    }
}
