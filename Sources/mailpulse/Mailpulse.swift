import ArgumentParser
import Configuration
import Hummingbird
import Logging
import MailpulseServer
import SystemPackage

@main
struct Mailpulse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Mirrors Outlook mailboxes into a local index and keeps the mirror live.",
        discussion: "Settings come from environment variables and an optional .env file; see the README's configuration table.",
        subcommands: [Serve.self],
        defaultSubcommand: Serve.self
    )
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Runs the HTTP service (the default command).")

    @Option(name: .customLong("env-file"), help: "A .env file to read settings from; absent is fine.")
    var environmentFile = ".env"

    func run() async throws {
        let configuration: MailpulseConfiguration
        do {
            let reader = ConfigReader(providers: [
                EnvironmentVariablesProvider(),
                try await EnvironmentVariablesProvider(environmentFilePath: .init(self.environmentFile), allowMissing: true),
            ])
            configuration = try MailpulseConfiguration(reader: reader)
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        let logger = {
            var logger = Logger(label: "mailpulse")
            logger.logLevel = configuration.logLevel
            return logger
        }()
        do {
            let app = try await buildApplication(configuration: configuration, logger: logger)
            try await app.runService()
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
    }
}
