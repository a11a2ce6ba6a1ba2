public import Foundation
public import Redis

/// A redis-server process of a test's own, for tests that stop and restart the server.
public final class RedisTestServer {
    /// The port it listens on, kept across restarts.
    public let port: Int
    private let directory: URL
    private var process: Process?

    /// Picks a free port; call ``start()`` next.
    public init() throws {
        self.directory = try TestEnvironment.temporaryDirectory()
        self.port = try TestEnvironment.freePort()
    }

    deinit {
        self.stop()
        try? FileManager.default.removeItem(at: self.directory)
    }

    /// The server's URL.
    public var url: RedisURL {
        try! RedisURL("redis://127.0.0.1:\(self.port)/0")
    }

    /// Starts the server and waits until it accepts connections.
    public func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestEnvironment.executable("redis-server") ?? "/usr/bin/redis-server")
        process.arguments = [
            "--port", "\(self.port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", self.directory.path, "--logfile", self.directory.appendingPathComponent("redis.log").path,
        ]
        try TestEnvironment.launch(process)
        self.process = process
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if TestEnvironment.accepts(port: self.port) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw RedisError.connectionFailed("the test redis-server did not start on port \(self.port)")
    }

    /// Stops the server at once, as a crash would, and waits for the process to end.
    public func stop() {
        guard let process = self.process else { return }
        // SIGKILL, not SIGTERM: a child started from a test thread can inherit a mask that blocks SIGTERM.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }
}
