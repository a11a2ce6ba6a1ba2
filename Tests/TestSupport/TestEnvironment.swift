public import Foundation
internal import Logging
public import Redis
internal import Synchronization

/// What the test harness (`make test`) provides: the private redis-server's URL, and paths for scratch files.
public enum TestEnvironment {
    /// `REDIS_URL` as set by `make test`; `nil` under a bare `swift test`, where Redis tests are skipped.
    public static var redisURL: RedisURL? {
        ProcessInfo.processInfo.environment["REDIS_URL"].flatMap { try? RedisURL($0) }
    }

    /// A client of the provided server; only for suites enabled by ``hasRedis``. Its callers wait for a connection as
    /// long as it takes: the suites run side by side on a busy machine, and the checkout deadline has a test of its own.
    public static func redisClient(maximumConnections: Int) -> RedisClient {
        RedisClient(
            configuration: RedisConfiguration(url: redisURL!, maximumConnections: maximumConnections, checkoutTimeout: .seconds(300)),
            logger: Logger(label: "test")
        )
    }

    /// Whether a Redis server was provided.
    public static var hasRedis: Bool {
        redisURL != nil
    }

    /// The Elasticsearch cluster the store suites also run against (`ELASTICSEARCH_URL`), if one is given.
    public static var elasticsearchURL: URL? {
        ProcessInfo.processInfo.environment["ELASTICSEARCH_URL"].flatMap(URL.init(string:))
    }

    /// Whether `redis-server` is on PATH, for tests that start servers of their own.
    public static var hasRedisServerBinary: Bool {
        executable("redis-server") != nil
    }

    /// The full path of an executable on PATH.
    public static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Starts `process`, one start at a time in this test process, so the descriptors one start makes are marked
    /// close-on-exec before another child could inherit them (see ``ChildCommand``).
    public static func launch(_ process: Process) throws {
        try Self.launching { try process.run() }
    }

    /// Runs `body` while no other test of this process starts a process.
    static func launching<Value>(_ body: () throws -> Value) throws -> Value {
        try Self.launches.withLock { _ in try body() }
    }

    private static let launches = Mutex(())

    /// Blocking work (a child process's end) on a thread of Dispatch's, not of Swift's concurrency pool.
    static func offThePool<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    /// The repository's root folder (this file is in `Tests/TestSupport`).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A new empty folder in this process's scratch folder, which goes when the process exits.
    public static func temporaryDirectory() throws -> URL {
        let url = Self.scratch.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// One folder per test process under the system's temporary folder, removed at exit with all it holds (the
    /// processes a test starts are stopped by then), so a run leaves nothing behind.
    private static let scratch: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mailpulse-tests-\(UUID().uuidString)")
        atexit { try? FileManager.default.removeItem(at: TestEnvironment.scratch) }
        return url
    }()

    /// Polls `condition` every 25 ms until it holds or `timeout` has passed; answers whether it held.
    public static func eventually(timeout: Duration = .seconds(20), _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(25))
        }
        return try await condition()
    }

    /// Microsoft's documented Graph payloads: `../shared/fixtures/graph/` beside the checkout.
    public static let graphFixtures = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).deletingLastPathComponent()
        .appendingPathComponent("shared/fixtures/graph")

    /// Whether the Graph fixtures are there.
    public static var hasGraphFixtures: Bool {
        FileManager.default.fileExists(atPath: Self.graphFixtures.path)
    }

    /// A key prefix no other test uses, so tests can share one Redis server while running in parallel.
    public static func uniquePrefix() -> String {
        "test:\(UUID().uuidString.prefix(8)):"
    }

    /// A TCP port on 127.0.0.1 that nothing listens on now.
    public static func freePort() throws -> Int {
        // Below the kernel's ephemeral range (32768 and up), so a server of another test binding port 0 cannot take
        // the port between this answer and its use; never the same port twice in one test process.
        for _ in 0..<500 {
            let port = Int.random(in: 20_000..<32_000)
            guard Self.handedOut.withLock({ $0.insert(port).inserted }) else { continue }
            if Self.canBind(port) { return port }
        }
        throw RedisError.connectionFailed("no free port")
    }

    private static let handedOut = Mutex<Set<Int>>([])

    private static func canBind(_ port: Int) -> Bool {
        Self.withLoopbackSocket(port: port) { bind($0, $1, $2) == 0 }
    }

    /// Whether something accepts TCP connections on the loopback port.
    public static func accepts(port: Int) -> Bool {
        Self.withLoopbackSocket(port: port) { connect($0, $1, $2) == 0 }
    }

    /// `body` with a new TCP socket and the loopback address of `port`; the socket is closed after.
    private static func withLoopbackSocket(
        port: Int,
        _ body: (Int32, UnsafePointer<sockaddr>, socklen_t) -> Bool
    ) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = Self.loopback(port: port)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }

    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
