import Foundation
import MailpulseServer
import TestSupport
import Testing

/// A `mailpulse serve` process of a test's own, for tests that crash a node (SIGKILL) or run several.
final class ServiceProcess: @unchecked Sendable {
    /// The service's address.
    let url: String
    private let environment: [String: String]
    private let log: URL
    private var process: Process?

    /// The executable `swift build` made beside the tests (or `MAILPULSE_BINARY`).
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["MAILPULSE_BINARY"] { return path }
        let root = TestEnvironment.repositoryRoot
        return root.appendingPathComponent(".build/debug/mailpulse").path
    }

    /// A node with the harness's store, token key, Redis namespace and simulator; `publicURL` is where the
    /// simulator sends webhooks (another node's, to survive this one's death).
    init(_ configuration: MailpulseConfiguration, port: Int, publicURL: String? = nil, extra: [String: String] = [:]) throws {
        self.url = "http://127.0.0.1:\(port)"
        self.log = try TestEnvironment.temporaryDirectory().appendingPathComponent("mailpulse.log")
        var environment = ProcessInfo.processInfo.environment
        let settings: [String: String?] = [
            "HTTP_PORT": "\(port)", "PUBLIC_URL": publicURL ?? self.url, "REDIS_URL": "\(configuration.redisURL)",
            "REDIS_PREFIX": configuration.redisPrefix, "SQLITE_PATH": configuration.sqlitePath, "TOKEN_KEY_FILE": configuration.tokenKeyFile,
            "MS_CLIENT_ID": configuration.microsoftClientID, "IDENTITY_BASE_URL": configuration.identityBaseURL,
            "GRAPH_BASE_URL": configuration.graphBaseURL, "GRAPH_PAGE_SIZE": "\(configuration.graphPageSize)",
            "SYNC_INTERVAL_SECONDS": "0", "WORKER_CLAIM_IDLE_SECONDS": "2", "LOG_LEVEL": "info",
            "ACCOUNTS_PER_CLIENT_PER_HOUR": "\(configuration.accountsPerClientPerHour)",
        ]
        for (key, value) in settings { environment[key] = value }
        for (key, value) in extra { environment[key] = value }
        self.environment = environment
    }

    deinit {
        self.kill()
    }

    /// Starts the node and waits until it serves `/health`.
    func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["serve", "--env-file", "/nonexistent/.env"]
        process.environment = self.environment
        FileManager.default.createFile(atPath: self.log.path, contents: nil)
        let output = try FileHandle(forWritingTo: self.log)
        output.seekToEndOfFile()
        process.standardOutput = output
        process.standardError = output
        try TestEnvironment.launch(process)
        self.process = process
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let reply = try? await LinkHarness.get("\(self.url)/health"), reply == 200 { return }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        Issue.record("mailpulse did not start on \(self.url): \(self.logText.suffix(2000))")
    }

    /// The process id, while it runs.
    var processIdentifier: Int32? { self.process?.processIdentifier }

    /// Freezes the node (SIGSTOP): its connections stay open, so Redis still hands entries to its blocked reads, but
    /// it never finishes them.
    func freeze() {
        guard let process = self.process else { return }
        Foundation.kill(process.processIdentifier, SIGSTOP)
    }

    /// Lets a frozen node run again (SIGCONT).
    func thaw() {
        guard let process = self.process else { return }
        Foundation.kill(process.processIdentifier, SIGCONT)
    }

    /// Kills the node at once, as a crash would, and waits for it to end.
    func kill() {
        guard let process = self.process else { return }
        // SIGKILL, not SIGTERM: a child started from a test thread can inherit a mask that blocks SIGTERM.
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// What the node logged.
    var logText: String {
        (try? String(contentsOf: self.log, encoding: .utf8)) ?? ""
    }
}
