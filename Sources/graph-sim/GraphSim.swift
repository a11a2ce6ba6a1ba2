import ArgumentParser
import GraphSimulator
import Hummingbird
import Logging

@main
struct GraphSim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph-sim",
        abstract: "A local Microsoft Graph (Outlook mail) and identity platform for tests, demos and benchmarks.",
        discussion: """
            Serves the identity platform under /{tenant}/oauth2/v2.0/ (authorize, token), Graph under /v1.0/ \
            (me, mailFolders, message delta, messages and their attachments, sendMail, reply, forward, subscriptions, \
            $batch) and a control API under /sim/ \
            (create mailboxes, act as the user, set faults, read stats). See the README's graph-sim section.
            """
    )

    @Option(help: "The address to bind.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on.")
    var port = 8081

    @Option(name: .customLong("client-id"), help: "The registered application (client) id.")
    var clientID = SimulatorConfiguration().clientID

    @Option(name: .customLong("redirect-uri"), help: "A registered redirect URI (repeat for more; loopback ports are ignored).")
    var redirectURIs: [String] = []

    @Option(name: .customLong("access-token-lifetime"), help: "Access-token lifetime in seconds.")
    var accessTokenLifetime = 3599

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    func validate() throws {
        guard (0...65535).contains(self.port) else { throw ValidationError("--port must be 0...65535") }
        guard self.accessTokenLifetime > 0 else { throw ValidationError("--access-token-lifetime must be positive") }
        guard Logger.Level(rawValue: self.logLevel) != nil else { throw ValidationError("--log-level is not a log level") }
    }

    func run() async throws {
        var configuration = SimulatorConfiguration()
        configuration.clientID = self.clientID
        if !self.redirectURIs.isEmpty { configuration.redirectURIs = self.redirectURIs }
        configuration.accessTokenLifetime = self.accessTokenLifetime
        let logger = {
            var logger = Logger(label: "graph-sim")
            logger.logLevel = Logger.Level(rawValue: self.logLevel) ?? .info
            return logger
        }()
        try await buildGraphSimulator(configuration: configuration, host: self.host, port: self.port, logger: logger).runService()
    }
}
