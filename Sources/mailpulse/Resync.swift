import ArgumentParser
import MailpulseCore
import MailpulseServer

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
