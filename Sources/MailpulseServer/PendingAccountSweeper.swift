internal import Foundation
internal import Logging
internal import MailpulseCore
internal import ServiceLifecycle

/// Removes accounts nobody finished signing in to: an account still `pending` ``lifetime`` after it was created goes,
/// with everything of it, so abandoned sign-ins (or a flood of anonymous creations) do not pile up for ever.
struct PendingAccountSweeper: Service, CustomStringConvertible {
    let store: any MailStore
    let removal: AccountRemoval
    let lifetime: Duration
    let logger: Logger

    var description: String { "PendingAccountSweeper" }

    /// How often accounts are checked: half the lifetime, between one second and a minute.
    var interval: Duration {
        min(.seconds(60), max(.seconds(1), self.lifetime / 2))
    }

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: self.interval)
                await self.sweep()
            }
        }
    }

    /// One pass over every account.
    func sweep() async {
        let cutoff = Date().addingTimeInterval(-self.lifetime.timeInterval)
        do {
            try await self.store.forEachAccount { account in
                if account.status == .pending && account.createdAt < cutoff {
                    try await self.removal.remove(account.id, logger: self.logger)
                }
            }
        } catch {
            self.logger.warning("Pending accounts not swept", metadata: ["error.type": "\(type(of: error))"])
        }
    }
}
