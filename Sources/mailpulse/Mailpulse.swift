import ArgumentParser
import Configuration
import Hummingbird
import Logging
import MailpulseCore
import MailpulseServer
import SystemPackage

@main
struct Mailpulse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Mirrors Outlook mailboxes into a local index and keeps the mirror live.",
        discussion: "Settings come from environment variables and an optional .env file; see the README's configuration table.",
        subcommands: [Serve.self, Resync.self, RenewSubscriptions.self],
        defaultSubcommand: Serve.self
    )
}

/// Settings from the environment and an optional .env file, and a logger at their level.
func loadConfiguration(environmentFile: String) async throws -> (MailpulseConfiguration, Logger) {
    let configuration: MailpulseConfiguration
    do {
        let reader = ConfigReader(providers: [
            EnvironmentVariablesProvider(),
            try await EnvironmentVariablesProvider(environmentFilePath: .init(environmentFile), allowMissing: true),
        ])
        configuration = try MailpulseConfiguration(reader: reader)
    } catch let error as ConfigurationError {
        throw ValidationError(error.description)
    }
    var logger = Logger(label: "mailpulse")
    logger.logLevel = configuration.logLevel
    return (configuration, logger)
}
