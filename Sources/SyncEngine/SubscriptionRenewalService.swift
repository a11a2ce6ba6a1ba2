internal import Foundation
public import Logging
public import MailpulseCore
internal import Metrics
public import ServiceLifecycle

/// Subscription renewals: every `interval` each node makes a pass over its share of the accounts (``WorkShare``),
/// a bounded number at a time, renewing subscriptions close to expiry, recreating lost ones (then backfilling) and
/// trying again for accounts that run on polling. Each account is maintained under a short lock, so the nodes
/// never both renew one while the share moves between them.
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

        /// Adds what another pass (or one account's maintenance) did.
        mutating func add(_ other: Report) {
            self.checked += other.checked
            self.renewed += other.renewed
            self.polling += other.polling
            self.failed += other.failed
            self.recreatedAccounts += other.recreatedAccounts
        }

        public var description: String {
            "checked \(self.checked), renewed \(self.renewed), recreated \(self.recreatedAccounts.count), polling \(self.polling), failed \(self.failed)"
        }
    }

    private let subscriptions: SubscriptionManager
    private let store: any MailStore
    private let backplane: any Backplane
    private let interval: Duration
    private let share: WorkShare?
    private let concurrency: Int
    private let events: any AccountEventPublisher
    private let clock: any Clock<Duration>
    private let describe: @Sendable (any Error) -> String
    private let logger: Logger
    private let backfill: @Sendable (AccountID) async -> Void

    /// Creates the service: a pass over this node's `share` (every account without one) every `interval` on `clock`
    /// (the backplane's), `concurrency` accounts at a time; `describe` turns a failure into the sentence people read;
    /// `backfill` asks for a delta round of an account whose subscription was recreated.
    public init(
        subscriptions: SubscriptionManager,
        store: any MailStore,
        backplane: any Backplane,
        interval: Duration,
        share: WorkShare? = nil,
        concurrency: Int = 16,
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
        self.share = share
        self.concurrency = max(1, concurrency)
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
            let report = await self.passAndBackfill()
            if report != Report(checked: report.checked) {
                self.logger.info("Subscription renewal pass", metadata: ["report": "\(report)"])
            }
            try? await self.clock.sleep(for: self.interval)
        }
    }

    /// A pass right after the webhooks moved (a tunnel's new address), so subscriptions follow within seconds rather
    /// than at the next round: every node saw the move, and each passes over its share.
    public func passAfterMove() async {
        let report = await self.passAndBackfill()
        self.logger.info("Subscription pass after the webhooks moved", metadata: ["report": "\(report)"])
    }

    /// A pass, then a backfill of each account whose subscription it recreated (notifications may have been missed).
    private func passAndBackfill() async -> Report {
        let report = await self.pass(share: await self.share?.current() ?? .everything)
        for account in report.recreatedAccounts {
            await self.backfill(account)
        }
        return report
    }

    /// One pass over the accounts `share` owns (every account by default), `concurrency` at a time; the report names
    /// the accounts whose subscription was recreated.
    public func pass(share: WorkShare.View = .everything) async -> Report {
        var accounts: [Account] = []
        var report = Report()
        do {
            try await self.store.forEachAccount { account in
                if share.owns(account.id) { accounts.append(account) }
            }
        } catch {
            self.logger.warning("Accounts not listed for renewal", metadata: ["error.type": "\(error)"])
            report.failed += 1
        }
        await withTaskGroup(of: Report.self) { group in
            var next = accounts.makeIterator()
            for _ in 0..<self.concurrency {
                guard let account = next.next() else { break }
                group.addTask { await self.maintain(account) }
            }
            for await one in group {
                report.add(one)
                if let account = next.next() { group.addTask { await self.maintain(account) } }
            }
        }
        return report
    }

    /// Maintains one account's subscription under its renewal lock; an account another node is renewing is skipped.
    private func maintain(_ account: Account) async -> Report {
        var report = Report(checked: 1)
        var grant: LockGrant?
        do {
            grant = try await self.backplane.lock("renewal:\(account.id)", ttl: .seconds(120))
            guard grant != nil else { return report }
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
        if let grant { _ = try? await self.backplane.unlock(grant) }
        return report
    }
}
