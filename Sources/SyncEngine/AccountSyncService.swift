internal import Foundation
public import Logging
public import MailpulseCore
internal import Metrics
public import ServiceLifecycle
internal import Synchronization

/// Runs syncs in the background: the initial sync of an account that finishes linking (subscribe first, then sync),
/// backfills asked for by the workers and the renewals, the syncs interrupted by a restart, a delta round of every
/// account on a schedule, and more often for accounts that have no notifications (polling). The start-up catch-up and
/// the schedule look only at this node's share of the accounts (``WorkShare``), each account's rounds at its own
/// phase of the interval.
///
/// One sync at a time per account across all nodes: a Redis lock, kept alive while the sync runs (``LockedWork``), so
/// a node that dies frees it within ``lockTTL``, and a sync whose lock is lost stops. A backfill that must run waits
/// for the lock; a scheduled one skips when busy.
public final class AccountSyncService: Service, AccountLinkObserver, CustomStringConvertible {
    /// Why a sync runs.
    struct Request: Sendable {
        var account: AccountID
        /// Subscribe when the account has no subscription, and show `syncing` while it runs.
        var initial: Bool
        /// Wait for the account's lock rather than skip when another sync holds it.
        var mustRun: Bool
        /// The folders to run delta rounds of; `nil` for every folder.
        var folders: Set<String>? = nil
    }

    /// A sync running on this node.
    private struct Running {
        /// The round asked for while it runs.
        var again: Again?
    }

    /// A round asked for while one runs on this node: every folder, or some.
    private enum Again {
        case everyFolder
        case folders(Set<String>)

        /// This round and another one, as one.
        func adding(_ folders: Set<String>?) -> Again {
            switch (self, folders) {
            case (.folders(let mine), let theirs?): .folders(mine.union(theirs))
            default: .everyFolder
            }
        }

        var folders: Set<String>? {
            switch self {
            case .everyFolder: nil
            case .folders(let folders): folders
            }
        }
    }

    /// How long an account's sync lock lives without an extension.
    public static let lockTTL = Duration.seconds(15)

    /// The backplane key of the account's sync lock.
    public static func lockKey(_ account: AccountID) -> String {
        "sync:\(account)"
    }

    private let synchronizer: MailboxSynchronizer
    private let subscriptions: SubscriptionManager
    private let store: any MailStore
    private let backplane: any Backplane
    private let events: any AccountEventPublisher
    private let schedule: SyncSchedule
    private let share: WorkShare?
    private let clock: any Clock<Duration>
    private let describe: @Sendable (any Error) -> String
    private let logger: Logger
    private let stream: AsyncStream<Request>
    private let continuation: AsyncStream<Request>.Continuation
    /// Accounts syncing on this node, each with the round asked for meanwhile, if any.
    private let running = Mutex<[AccountID: Running]>([:])

    /// Creates the service. `describe` turns a failure into the sentence people read in the account's activity;
    /// `clock` times the schedule and the sync locks (the backplane's); `share` is this node's part of the
    /// accounts (every account without one).
    public init(
        synchronizer: MailboxSynchronizer,
        subscriptions: SubscriptionManager,
        store: any MailStore,
        backplane: any Backplane,
        events: any AccountEventPublisher,
        schedule: SyncSchedule,
        share: WorkShare? = nil,
        clock: any Clock<Duration> = ContinuousClock(),
        describe: @escaping @Sendable (any Error) -> String,
        logger: Logger
    ) {
        self.synchronizer = synchronizer
        self.subscriptions = subscriptions
        self.store = store
        self.backplane = backplane
        self.events = events
        self.schedule = schedule
        self.share = share
        self.clock = clock
        self.describe = describe
        self.logger = logger
        (self.stream, self.continuation) = AsyncStream.makeStream(of: Request.self)
    }

    public var description: String { "AccountSyncService" }

    /// The accounts syncing on this node now.
    public var syncing: Set<AccountID> {
        self.running.withLock { Set($0.keys) }
    }

    public func accountLinked(_ account: AccountID) async {
        self.continuation.yield(Request(account: account, initial: true, mustRun: true))
    }

    /// Asks for a delta round of every folder of an account (notifications were missed or may have been).
    public func requestBackfill(_ account: AccountID) {
        self.continuation.yield(Request(account: account, initial: false, mustRun: true))
    }

    /// Asks for delta rounds of some folders of an account (a folder's doorbell rang).
    public func requestRound(_ account: AccountID, folders: Set<String>) {
        self.continuation.yield(Request(account: account, initial: false, mustRun: true, folders: folders))
    }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.catchUp() }
            group.addTask { await self.runSchedule() }
            for await request in self.stream.cancelOnGracefulShutdown() {
                group.addTask { await self.sync(request) }
            }
            // Shutting down: stop the schedule too (running syncs see the cancellation at their next await).
            group.cancelAll()
        }
    }

    /// Runs one sync now, on the caller's task (the `resync` command): waits for the account's lock.
    public func syncNow(_ account: AccountID) async throws {
        try await self.locked.run(Self.lockKey(account), wait: true) {
            try await self.synchronizer.sync(account)
        }
    }

    /// Syncs hold the account's lock, kept alive on the service's clock.
    private var locked: LockedWork {
        LockedWork(backplane: self.backplane, ttl: Self.lockTTL, clock: self.clock)
    }

    // MARK: Triggers

    /// At start-up, and again for the accounts this node's share gains when the nodes change (one died, so its
    /// interrupted syncs are this node's now): initial syncs cut short by a stop or a crash resume from their
    /// checkpoints, and accounts not synced for longer than the backfill gap catch up on what happened while no node
    /// ran them.
    private func catchUp() async {
        var previous: WorkShare.View?
        while !Task.isCancelled {
            let share = await self.share?.current() ?? .everything
            if share != previous {
                await self.resumeInterrupted(share, notOwnedBefore: previous)
                previous = share
            }
            guard let interval = self.share?.interval, (try? await self.clock.sleep(for: interval)) != nil else { return }
        }
    }

    private func resumeInterrupted(_ share: WorkShare.View, notOwnedBefore previous: WorkShare.View?) async {
        let gap = Date().addingTimeInterval(-self.schedule.backfillGap.timeInterval)
        await self.forEachAccount { account in
            guard share.owns(account.id), !(previous?.owns(account.id) ?? false) else { return }
            switch account.status {
            case .linked, .syncing:
                self.continuation.yield(Request(account: account.id, initial: true, mustRun: true))
            // A `where` guards only the pattern it follows: both patterns carry it, or every live account would be
            // backfilled at every start.
            case .live where (account.lastSyncedAt ?? .distantPast) < gap,
                .degraded where (account.lastSyncedAt ?? .distantPast) < gap:
                self.continuation.yield(Request(account: account.id, initial: false, mustRun: true))
            default:
                break
            }
        }
    }

    /// Tick by tick (the shorter of the poll and sync intervals): this node's accounts due in the tick, each asked for
    /// at its time in it, so the rounds of many accounts are spread rather than a burst at the tick's start.
    private func runSchedule() async {
        let interval = self.schedule.syncInterval
        let poll = self.schedule.pollInterval
        guard interval > .zero || poll > .zero else { return }
        let tick = interval > .zero && poll > .zero ? min(interval, poll) : max(interval, poll)
        var start = Duration.zero
        while !Task.isCancelled {
            let window = start..<(start + tick)
            let share = await self.share?.current() ?? .everything
            var due: [(at: Duration, account: AccountID)] = []
            await self.forEachAccount { account in
                if share.owns(account.id), let at = self.schedule.due(account, in: window) {
                    due.append((at, account.id))
                }
            }
            var now = start
            do {
                for (at, account) in due.sorted(by: { $0.at < $1.at }) {
                    try await self.clock.sleep(for: at - now)
                    now = at
                    self.continuation.yield(Request(account: account, initial: false, mustRun: false))
                }
                try await self.clock.sleep(for: window.upperBound - now)
            } catch {
                return
            }
            start = window.upperBound
        }
    }

    private func forEachAccount(_ body: (Account) -> Void) async {
        do {
            try await self.store.forEachAccount { body($0) }
        } catch {
            self.logger.warning("Accounts not listed", metadata: ["error.type": "\(error)"])
        }
    }

    // MARK: Syncing

    private func sync(_ request: Request) async {
        let account = request.account
        // One sync per account on this node; a request that must run while one runs asks it for another round.
        let started = self.running.withLock { running -> Bool in
            if let sync = running[account] {
                if request.mustRun {
                    running[account]?.again = sync.again?.adding(request.folders) ?? request.folders.map(Again.folders) ?? .everyFolder
                }
                return false
            }
            running[account] = Running()
            return true
        }
        guard started else { return }
        var initial = request.initial
        var folders = request.folders
        while true {
            await self.runOnce(account, initial: initial, folders: folders, wait: request.mustRun)
            let again = self.running.withLock { running -> Again? in
                guard let next = running[account]?.again else {
                    running[account] = nil
                    return nil
                }
                running[account] = Running()
                return next
            }
            guard let again, !Task.isCancelled else { break }
            initial = false
            folders = again.folders
        }
        if Task.isCancelled { self.running.withLock { $0[account] = nil } }
    }

    private func runOnce(_ account: AccountID, initial: Bool, folders: Set<String>?, wait: Bool) async {
        let metadata: Logger.Metadata = [
            "account.id": "\(account)", "sync.initial": "\(initial)", "sync.folders": "\(folders.map { "\($0.count)" } ?? "all")",
        ]
        do {
            let ran = try await self.locked.run(Self.lockKey(account), wait: wait) {
                self.logger.info("Sync started", metadata: metadata)
                if initial, let stored = try await self.store.account(account), stored.subscription == nil,
                    !stored.provider.pushesOverConnections
                {
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
                if let folders {
                    try await self.synchronizer.sync(folders, of: account)
                } else {
                    try await self.synchronizer.sync(account, initial: initial)
                }
                let kind = initial ? "initial" : folders == nil ? "backfill" : "folders"
                Metrics.Timer(label: "mailpulse_sync_duration_seconds", dimensions: [("kind", kind)])
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
            await self.events.publish(.activity("Sync failed. \(self.describe(error))"), for: account)
        }
    }
}
