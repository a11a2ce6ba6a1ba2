import ArgumentParser
import MailpulseServer

struct RenewSubscriptions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "renew-subscriptions",
        abstract: "Runs one subscription renewal pass over every account, then exits (for cron).",
        discussion: """
            Renews subscriptions that expire within SUBSCRIPTION_RENEWAL_MARGIN_SECONDS, recreates lost ones and \
            backfills those accounts. Each node of the service does the same for its share of the accounts every \
            RENEWAL_INTERVAL_SECONDS.
            """
    )

    @Option(name: .customLong("env-file"), help: "A .env file to read settings from; absent is fine.")
    var environmentFile = ".env"

    func run() async throws {
        let (configuration, logger) = try await loadConfiguration(environmentFile: self.environmentFile)
        do {
            let report = try await MailpulseCommands.renewSubscriptions(configuration: configuration, logger: logger)
            print("Subscription renewal: \(report)")
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
    }
}
