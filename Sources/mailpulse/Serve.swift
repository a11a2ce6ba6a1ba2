import ArgumentParser
import Hummingbird
import MailpulseServer

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
