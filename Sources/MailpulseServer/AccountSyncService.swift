internal import Foundation
internal import Logging
internal import MailpulseCore
internal import Metrics
internal import ServiceLifecycle
internal import Synchronization

/// Runs syncs in the background: the initial sync of an account that finishes linking (subscribe first, then sync),
/// backfills asked for by the workers and the renewal leader, the syncs interrupted by a restart, a delta round of
/// every account on a schedule, and more often for accounts that have no notifications (polling).
///
/// One sync at a time per account across all nodes: a Redis lock, kept alive while the sync runs (``LockedWork``), so
/// a node that dies frees it within ``lockTTL``, and a sync whose lock is lost stops. A backfill that must run waits
/// for the lock; a scheduled one skips when busy.
final class AccountSyncService: Service, AccountLinkObserver, CustomStringConvertible {
    /// Why a sync runs.
    struct Request: Sendable {
        var account: AccountID
        /// Subscribe when the account has no subscription, and show `syncing` while it runs.
        var initial: Bool
        /// Wait for the account's lock rather than skip when another sync holds it.
        var mustRun: Bool
    }

    static let lockTTL = Duration.seconds(15)

    /// The backplane key of the account's sync lock.
    static func lockKey(_ account: AccountID) -> String {
        "sync:\(account)"
    }

    private let synchronizer: MailboxSynchronizer
    private let subscriptions: SubscriptionManager
    private let store: any MailStore
    private let backplane: any Backplane
    private let events: any AccountEventPublisher
    private let configuration: MailpulseConfiguration
    private let logger: Logger
    private let stream: AsyncStream<Request>
    private let continuation: AsyncStream<Request>.Continuation
    /// Accounts syncing on this node, and whether another round was asked for meanwhile.
    private let running = Mutex<[AccountID: Bool]>([:])

    init(
        synchronizer: MailboxSynchronizer,
        subscriptions: SubscriptionManager,
        store: any MailStore,
        backplane: any Backplane,
        events: any AccountEventPublisher,
        configuration: MailpulseConfiguration,
        logger: Logger
    ) {
        self.synchronizer = synchronizer
        self.subscriptions = subscriptions
        self.store = store
        self.backplane = backplane
        self.events = events
        self.configuration = configuration
        self.logger = logger
        (self.stream, self.continuation) = AsyncStream.makeStream(of: Request.self)
    }

    var description: String { "AccountSyncService" }

    func accountLinked(_ account: AccountID) async {
        self.continuation.yield(Request(account: account, initial: true, mustRun: true))
    }

    /// Asks for a delta round of every folder of an account (notifications were missed or may have been).
    func requestBackfill(_ account: AccountID) {
        self.continuation.yield(Request(account: account, initial: false, mustRun: true))
    }

    func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.resumeInterrupted() }
            group.addTask { await self.schedule() }
            for await request in self.stream.cancelOnGracefulShutdown() {
                group.addTask { await self.sync(request) }
            }
            // Shutting down: stop the schedule too (running syncs see the cancellation at their next await).
            group.cancelAll()
        }
    }

    /// Runs one sync now, on the caller's task (the `resync` command): waits for the account's lock.
    func syncNow(_ account: AccountID) async throws {
        try await LockedWork(backplane: self.backplane, ttl: Self.lockTTL).run(Self.lockKey(account), wait: true) {
            try await self.synchronizer.sync(account)
        }
    }

    // MARK: Triggers

    /// At start-up: initial syncs cut short by a stop or a crash resume from their checkpoints, and accounts not
    /// synced for longer than the backfill gap catch up on what happened while no node ran.
    private func resumeInterrupted() async {
        let gap = Date().addingTimeInterval(-self.configuration.backfillGap.timeInterval)
        await self.forEachAccount { account in
            switch account.status {
            case .linked, .syncing:
                self.continuation.yield(Request(account: account.id, initial: true, mustRun: true))
            case .live,
                .degraded where (account.lastSyncedAt ?? .distantPast) < gap:
                self.continuation.yield(Request(account: account.id, initial: false, mustRun: true))
            default:
                break
            }
        }
    }

    /// Every poll interval, accounts without notifications; every sync interval, every account.
    private func schedule() async {
        let interval = self.configuration.syncInterval
        let poll = self.configuration.pollInterval
        guard interval > .zero || poll > .zero else { return }
        let tick = interval > .zero && poll > .zero ? min(interval, poll) : max(interval, poll)
        var lastFullRound = ContinuousClock.now
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: tick)
            } catch {
                return
            }
            let full = interval > .zero && ContinuousClock.now - lastFullRound >= interval
            if full { lastFullRound = .now }
            await self.forEachAccount { account in
                let polled = poll > .zero && account.status == .degraded
                if polled || (full && [.linked, .syncing, .live, .degraded].contains(account.status)) {
                    self.continuation.yield(Request(account: account.id, initial: false, mustRun: false))
                }
            }
        }
    }

    private func forEachAccount(_ body: (Account) -> Void) async {
        do {
            var after: AccountID?
            repeat {
                let page = try await self.store.accounts(after: after, limit: 500)
                page.forEach(body)
                after = page.count == 500 ? page.last?.id : nil
            } while after != nil
        } catch {
            self.logger.warning("Accounts not listed", metadata: ["error.type": "\(error)"])
        }
    }

    // MARK: Syncing

    private func sync(_ request: Request) async {
        let account = request.account
        // One sync per account on this node; a request that must run while one runs asks it for another round.
        let started = self.running.withLock { running -> Bool in
            if running[account] != nil {
                if request.mustRun { running[account] = true }
                return false
            }
            running[account] = false
            return true
        }
        guard started else { return }
        var initial = request.initial
        while true {
            await self.runOnce(account, initial: initial, wait: request.mustRun)
            let again = self.running.withLock { running -> Bool in
                if running[account] == true {
                    running[account] = false
                    return true
                }
                running[account] = nil
                return false
            }
            guard again, !Task.isCancelled else { break }
            initial = false
        }
        if Task.isCancelled { self.running.withLock { $0[account] = nil } }
    }

    private func runOnce(_ account: AccountID, initial: Bool, wait: Bool) async {
        let metadata: Logger.Metadata = ["account.id": "\(account)", "sync.initial": "\(initial)"]
        do {
            let ran = try await LockedWork(backplane: self.backplane, ttl: Self.lockTTL).run(Self.lockKey(account), wait: wait) {
                self.logger.info("Sync started", metadata: metadata)
                if initial, try await self.store.account(account)?.subscription == nil {
                    let outcome = try await self.subscriptions.subscribe(account)
                    self.logger.info("Subscription", metadata: metadata.merging(["subscription.outcome": "\(outcome)"]) { $1 })
                    await self.events.publish(
                        .activity(
                            outcome == .polling ? "Change notifications unavailable: polling for changes" : "Subscribed to change notifications"
                        ),
                        for: account
                    )
                }
                let started = ContinuousClock.now
                try await self.synchronizer.sync(account, initial: initial)
                Metrics.Timer(label: "mailpulse_sync_duration_seconds", dimensions: [("kind", initial ? "initial" : "backfill")])
                    .record(duration: ContinuousClock.now - started)
                self.logger.info("Sync finished", metadata: metadata)
            }
            if !ran { self.logger.debug("Sync already running elsewhere", metadata: metadata) }
        } catch is CancellationError {
            return
        } catch let error as MailStoreError where error.isNotFound {
            // The account was deleted while it synced: nothing is left to report to.
            self.logger.info("Sync stopped: the account was deleted", metadata: metadata)
        } catch {
            self.logger.warning("Sync failed", metadata: metadata.merging(["error.type": "\(error)"]) { $1 })
            await self.events.publish(.activity("Sync failed. \(ProblemSentence.of(error))"), for: account)
        }
    }
}
