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
        subcommands: [Serve.self, Resync.self],
        defaultSubcommand: Serve.self
    )
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Runs the HTTP service (the default command).")

    @Option(name: .customLong("env-file"), help: "A .env file to read settings from; absent is fine.")
    var environmentFile = ".env"

    func run() async throws {
        let (configuration, logger) = try await loadConfiguration(environmentFile: self.environmentFile)
        do {
            let app = try await buildApplication(configuration: configuration, logger: logger)
            try await app.runService()
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
    }
}

struct Resync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Syncs one account now by delta (every folder from its cursor), then exits.",
        discussion: "Uses the same settings as serve; safe while the service runs (a Redis lock keeps one sync per account)."
    )

    @Option(help: "The local account id (a UUID).")
    var account: String

    @Option(name: .customLong("env-file"), help: "A .env file to read settings from; absent is fine.")
    var environmentFile = ".env"

    func validate() throws {
        guard AccountID(self.account) != nil else { throw ValidationError("--account must be an account id (a UUID)") }
    }

    func run() async throws {
        let (configuration, logger) = try await loadConfiguration(environmentFile: self.environmentFile)
        do {
            try await MailpulseCommands.resync(account: AccountID(self.account)!, configuration: configuration, logger: logger)
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
    }
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
