public import Logging
public import MailpulseCore
internal import Redis
internal import SyncEngine

/// One-shot commands of the `mailpulse` executable.
public enum MailpulseCommands {
    /// Runs one delta sync of an account now (every folder from its cursor), then returns.
    public static func resync(account: AccountID, configuration: MailpulseConfiguration, logger: Logger) async throws {
        let runtime = try MailpulseNode(configuration: configuration, logger: logger)
        let store = runtime.dependencies.store
        do {
            try await store.prepare()
            guard try await store.account(account) != nil else {
                throw ConfigurationError(key: "--account", message: "no account \(account) in this store")
            }
            try await runtime.syncService.syncNow(account)
            await runtime.close()
        } catch {
            await runtime.close()
            throw error
        }
    }

    /// Runs one subscription renewal pass over every account (renew, recreate, reauthorize; a backfill after each
    /// recreation), then returns: for an external cron instead of the nodes' own passes.
    public static func renewSubscriptions(configuration: MailpulseConfiguration, logger: Logger) async throws -> String {
        let runtime = try MailpulseNode(configuration: configuration, logger: logger)
        do {
            try await runtime.dependencies.store.prepare()
            let report = await runtime.renewalService.pass()
            for account in report.recreatedAccounts {
                try await runtime.syncService.syncNow(account)
            }
            await runtime.close()
            return "\(report)"
        } catch {
            await runtime.close()
            throw error
        }
    }
}
