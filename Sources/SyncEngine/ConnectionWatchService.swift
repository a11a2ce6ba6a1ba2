internal import Foundation
public import Logging
public import MailpulseCore
public import ServiceLifecycle
internal import Synchronization

/// Keeps a watcher on every account whose provider pushes over connections (IMAP): each node watches its share of
/// the accounts (``WorkShare``), under a backplane lock per account kept alive while it watches, so when a node dies
/// the account's new owner takes it over within the share's rebalance, a scan interval and the lock's life; a node
/// whose share shrinks stops the watchers it no longer owns. What the watcher reports becomes delta rounds: a folder's, or every folder's
/// when the watch (re)started or the folder list changed. A dropped connection is reopened with backoff.
public final class ConnectionWatchService: Service, AccountLinkObserver, CustomStringConvertible {
    private let store: any MailStore
    private let backplane: any Backplane
    private let tokens: AccessTokenSource
    private let push: any ConnectionPush
    private let syncService: AccountSyncService
    private let doorbells: DoorbellService?
    private let share: WorkShare?
    private let scanInterval: Duration
    private let lockTTL: Duration
    private let retry: RetryPolicy
    private let clock: any Clock<Duration>
    private let logger: Logger
    private let watching = Mutex<[AccountID: Task<Void, Never>]>([:])

    /// Watches through `push`, looking for accounts to watch every `scanInterval`; a watcher's lock lives `lockTTL`
    /// past its holder's last extension. A folder reported changed gets its round at once, and rings its doorbell
    /// too: a round once it has been quiet a while and a follow-up of every folder after that, which finds what moved
    /// to a folder no connection watches. `share` is this node's part of the accounts (every account without one).
    /// Waits run on `clock`, the backplane's.
    public init(
        store: any MailStore,
        backplane: any Backplane,
        tokens: AccessTokenSource,
        push: any ConnectionPush,
        syncService: AccountSyncService,
        doorbells: DoorbellService? = nil,
        share: WorkShare? = nil,
        scanInterval: Duration = .seconds(10),
        lockTTL: Duration = .seconds(15),
        retry: RetryPolicy = RetryPolicy(attempts: .max, initialDelay: .seconds(1), maximumDelay: .seconds(60)),
        clock: any Clock<Duration> = ContinuousClock(),
        logger: Logger
    ) {
        self.store = store
        self.backplane = backplane
        self.tokens = tokens
        self.push = push
        self.syncService = syncService
        self.doorbells = doorbells
        self.share = share
        self.scanInterval = scanInterval
        self.lockTTL = lockTTL
        self.retry = retry
        self.clock = clock
        self.logger = logger
    }

    public var description: String { "ConnectionWatchService" }

    /// The backplane key of the account's watcher lock.
    public static func lockKey(_ account: AccountID) -> String {
        "watch:\(account)"
    }

    public func run() async throws {
        defer {
            self.watching.withLock { watching in
                for task in watching.values { task.cancel() }
            }
        }
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.scan()
                try await self.clock.sleep(for: self.scanInterval)
            }
        }
    }

    /// One look at the accounts: watchers started for those of this node's share that need one (and whose lock is
    /// free), stopped for those that no longer do (deleted, waiting for their person) or moved to another node.
    public func scan() async {
        var wanted: Set<AccountID> = []
        let share = await self.share?.current() ?? .everything
        do {
            try await self.store.forEachAccount { account in
                if share.owns(account.id), account.provider.pushesOverConnections, [.linked, .syncing, .live, .degraded].contains(account.status) {
                    wanted.insert(account.id)
                }
            }
        } catch {
            self.logger.warning("Accounts not listed for watching", metadata: ["error.type": "\(error)"])
            return
        }
        self.watching.withLock { watching in
            for (account, task) in watching where !wanted.contains(account) {
                task.cancel()
                watching[account] = nil
            }
        }
        for account in wanted { self.start(account) }
    }

    /// A newly linked account of this node's share is watched at once, not at the next scan.
    public func accountLinked(_ account: AccountID) async {
        guard await self.share?.current().owns(account) ?? true,
            let stored = try? await self.store.account(account), stored.provider.pushesOverConnections
        else { return }
        self.start(account)
    }

    /// Starts watching the account from this node, unless it already does.
    private func start(_ account: AccountID) {
        self.watching.withLock { watching in
            guard watching[account] == nil else { return }
            watching[account] = Task { [self] in
                await self.hold(account)
                self.watching.withLock { _ = $0.removeValue(forKey: account) }
            }
        }
    }

    /// Watches the account while this node holds its lock; returns at once when another node holds it.
    private func hold(_ account: AccountID) async {
        let locked = LockedWork(backplane: self.backplane, ttl: self.lockTTL, clock: self.clock)
        do {
            try await locked.run(Self.lockKey(account), wait: false) { [self] in try await self.watch(account) }
        } catch is CancellationError {
            return
        } catch {
            self.logger.info("Watcher stopped", metadata: ["account.id": "\(account)", "error.type": "\(error)"])
        }
    }

    private func watch(_ account: AccountID) async throws {
        var failures = 0
        while !Task.isCancelled {
            let started = ContinuousClock.now
            do {
                let token = try await self.tokens.accessToken(for: account)
                do {
                    try await self.push.watch(account, accessToken: token) { [self] hints in await self.deliver(hints, of: account) }
                } catch MailProviderError.unauthorized {
                    // The password was refused: the token source marks the account `reauth_required` and the scan
                    // stops this watcher.
                    _ = try await self.tokens.accessToken(for: account, rejected: token)
                }
            } catch is CancellationError {
                throw CancellationError()
            } catch MailProviderError.reauthRequired {
                return
            } catch {
                self.logger.info("Watch connection lost", metadata: ["account.id": "\(account)", "error.type": "\(error)"])
            }
            // A watch that ran a while before it ended starts its backoff over.
            failures = ContinuousClock.now - started > self.retry.maximumDelay ? 1 : failures + 1
            try await self.clock.sleep(for: self.retry.delay(after: failures))
        }
    }

    private func deliver(_ hints: [ChangeHint], of account: AccountID) async {
        if hints.contains(where: { $0.kind == .missed }) {
            self.syncService.requestBackfill(account)
            return
        }
        let folders = Set(hints.compactMap { $0.kind == .folderChanged ? $0.mailboxID : nil })
        guard !folders.isEmpty else { return }
        self.syncService.requestRound(account, folders: folders)
        await self.doorbells?.ring([account: folders])
    }
}
