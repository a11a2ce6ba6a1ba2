internal import Logging
internal import MailpulseCore
public import ServiceLifecycle

/// Runs syncs in the background: the initial sync of every account that finishes linking, one at a time per
/// account across all nodes (a Redis lock), several accounts at once.
final class AccountSyncService: Service, AccountLinkObserver, CustomStringConvertible {
    private let synchronizer: MailboxSynchronizer
    private let backplane: any Backplane
    private let logger: Logger
    private let stream: AsyncStream<AccountID>
    private let continuation: AsyncStream<AccountID>.Continuation

    init(synchronizer: MailboxSynchronizer, backplane: any Backplane, logger: Logger) {
        self.synchronizer = synchronizer
        self.backplane = backplane
        self.logger = logger
        (self.stream, self.continuation) = AsyncStream.makeStream(of: AccountID.self)
    }

    var description: String { "AccountSyncService" }

    func accountLinked(_ account: AccountID) async {
        self.continuation.yield(account)
    }

    func run() async throws {
        await withDiscardingTaskGroup { group in
            for await account in self.stream.cancelOnGracefulShutdown() {
                group.addTask { await self.sync(account) }
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
