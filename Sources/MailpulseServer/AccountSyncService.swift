internal import Logging
internal import MailpulseCore
internal import ServiceLifecycle

/// Runs syncs in the background: the initial sync of every account that finishes linking, and a delta sync of
/// every linked account on a schedule (the backfill that repairs whatever notifications missed); one sync at a
/// time per account across all nodes (a Redis lock), several accounts at once.
final class AccountSyncService: Service, AccountLinkObserver, CustomStringConvertible {
    private let synchronizer: MailboxSynchronizer
    private let store: any MailStore
    private let backplane: any Backplane
    private let interval: Duration
    private let logger: Logger
    private let stream: AsyncStream<AccountID>
    private let continuation: AsyncStream<AccountID>.Continuation

    init(synchronizer: MailboxSynchronizer, store: any MailStore, backplane: any Backplane, interval: Duration, logger: Logger) {
        self.synchronizer = synchronizer
        self.store = store
        self.backplane = backplane
        self.interval = interval
        self.logger = logger
        (self.stream, self.continuation) = AsyncStream.makeStream(of: AccountID.self)
    }

    var description: String { "AccountSyncService" }

    func accountLinked(_ account: AccountID) async {
        self.continuation.yield(account)
    }

    func run() async throws {
        await withDiscardingTaskGroup { group in
            if self.interval > .zero {
                group.addTask { await self.schedule() }
            }
            for await account in self.stream.cancelOnGracefulShutdown() {
                group.addTask { await self.sync(account) }
            }
            // Shutting down: stop the schedule too (running syncs see the cancellation at their next await).
            group.cancelAll()
        }
    }

    /// Every interval, queues every account that is linked or live.
    private func schedule() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: self.interval)
                var after: AccountID?
                repeat {
                    let page = try await self.store.accounts(after: after, limit: 500)
                    for account in page where [.linked, .syncing, .live].contains(account.status) {
                        self.continuation.yield(account.id)
                    }
                    after = page.count == 500 ? page.last?.id : nil
                } while after != nil
            } catch is CancellationError {
                return
            } catch {
                self.logger.warning("Sync schedule failed", metadata: ["error.type": "\(error)"])
            }
        }
    }

    private func sync(_ account: AccountID) async {
        let grant: LockGrant
        do {
            guard let taken = try await self.backplane.lock("sync:\(account)", ttl: .seconds(3600)) else {
                self.logger.info("Sync already running elsewhere", metadata: ["account.id": "\(account)"])
                return
            }
            grant = taken
        } catch {
            self.logger.warning("Sync not started", metadata: ["account.id": "\(account)", "error.type": "\(error)"])
            return
        }
        do {
            self.logger.info("Sync started", metadata: ["account.id": "\(account)"])
            try await self.synchronizer.sync(account)
            self.logger.info("Sync finished", metadata: ["account.id": "\(account)"])
        } catch {
            self.logger.warning("Sync failed", metadata: ["account.id": "\(account)", "error.type": "\(error)"])
        }
        _ = try? await self.backplane.unlock(grant)
    }
}
