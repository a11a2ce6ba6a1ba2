import Foundation
import GraphSimulator
import HTTPTransport
import Hummingbird
import Logging
import MailpulseCore
import MailpulseServer
import RedisBackplane
import SQLiteStore
import TestSupport

/// One run: graph-sim and the service on loopback, a fresh store and Redis namespace, one linked mailbox.
struct BenchRun {
    let simulator: String
    let service: String
    let configuration: MailpulseConfiguration
    let transport = URLSessionTransport()

    /// Starts both, the service configured by `configure` after the bench's defaults, runs `body`, stops both; answers
    /// what `body` answers.
    static func with<Result: Sendable>(
        configure: (inout MailpulseConfiguration) -> Void = { _ in },
        _ body: @Sendable (BenchRun) async throws -> Result
    ) async throws -> Result {
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        var simulatorConfiguration = SimulatorConfiguration()
        simulatorConfiguration.redirectURIs = ["http://127.0.0.1:8080/oauth/callback"]
        let simulatorPort = try TestEnvironment.freePort()
        let simulator = buildGraphSimulator(configuration: simulatorConfiguration, host: "127.0.0.1", port: simulatorPort, logger: logger)
        var configuration = MailpulseConfiguration()
        let folder = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        configuration.port = try TestEnvironment.freePort()
        configuration.publicURL = "http://127.0.0.1:\(configuration.port)"
        configuration.sqlitePath = folder.appendingPathComponent("mail.sqlite").path
        configuration.tokenKeyFile = folder.appendingPathComponent("token.key").path
        guard let redisURL = TestEnvironment.redisURL else { throw BenchError("REDIS_URL must point at a redis-server") }
        configuration.redisURL = redisURL
        configuration.redisPrefix = TestEnvironment.uniquePrefix()
        // Every account is created from loopback.
        configuration.accountsPerClientPerHour = 1_000_000
        configuration.microsoftClientID = simulatorConfiguration.clientID
        configuration.identityBaseURL = "http://127.0.0.1:\(simulatorPort)"
        configuration.graphBaseURL = "http://127.0.0.1:\(simulatorPort)/v1.0"
        configuration.syncInterval = .zero
        configuration.logLevel = .error
        configure(&configuration)
        let service = try await buildApplication(configuration: configuration, logger: logger)
        let run = BenchRun(simulator: "http://127.0.0.1:\(simulatorPort)", service: configuration.resolvedPublicURL, configuration: configuration)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await simulator.runService(gracefulShutdownSignals: []) }
            group.addTask { try await service.runService(gracefulShutdownSignals: []) }
            defer { group.cancelAll() }
            try await run.waitFor("\(run.simulator)/sim/mailboxes")
            try await run.waitFor("\(run.service)/health")
            return try await body(run)
        }
    }

    func send(
        _ method: String,
        _ url: String,
        json: String? = nil,
        headers: [(String, String)] = []
    ) async throws -> (Int, [String: Any], [String: String]) {
        var allHeaders = headers
        if json != nil { allHeaders.append(("Content-Type", "application/json")) }
        let response = try await self.transport.send(
            HTTPRequestData(method: method, url: URL(string: url)!, headers: allHeaders, body: json.map { Data($0.utf8) }, timeout: .seconds(30))
        )
        let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:]
        return (response.status, object, response.headers)
    }

    func waitFor(_ url: String) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let (status, _, _) = try? await self.send("GET", url), status < 500 { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw BenchError("\(url) did not answer within 20 s")
    }

    /// Creates a simulated mailbox with `messages` messages; answers its id.
    func createMailbox(_ address: String, messages: Int) async throws -> String {
        let (_, body, _) = try await self.send(
            "POST",
            "\(self.simulator)/sim/mailboxes",
            json: "{\"address\":\"\(address)\",\"messages\":\(messages),\"seed\":3}"
        )
        guard let id = body["id"] as? String else { throw BenchError("mailbox not created: \(body)") }
        return id
    }

    /// Links the simulated user through the service; answers the account, its token, and when the callback was sent.
    /// One at a time: FoundationNetworking crashes on concurrent redirect responses ("Received callback for HTTP
    /// redirection, but we're not waiting for it").
    func link(_ address: String) async throws -> (AccountID, String, ContinuousClock.Instant) {
        let (_, created, createdHeaders) = try await self.send("POST", "\(self.service)/api/accounts", json: "{\"provider\":\"outlook\"}")
        guard let id = created["id"] as? String, let account = AccountID(id), let token = created["token"] as? String,
            let login = created["loginUrl"] as? String
        else { throw BenchError("account not created: \(created)") }
        // The browser binding: the callback links only with the cookie the creation set (several cookies are joined by commas).
        let binding = "mailpulse_login_\(account.compactText)="
        guard
            let cookie = createdHeaders["set-cookie"]?.split(separator: ",").compactMap({ $0.split(separator: ";").first })
                .map({ $0.trimmingCharacters(in: .whitespaces) }).first(where: { $0.hasPrefix(binding) })
        else { throw BenchError("account created without its sign-in cookie") }
        let (status, body, headers) = try await self.send("GET", "\(login)&login_hint=\(address)")
        guard let location = headers["location"] else { throw BenchError("sign-in of \(address) did not redirect: \(status) \(body)") }
        let start = ContinuousClock.now
        _ = try await self.send("GET", location, headers: [("Cookie", cookie)])
        return (account, token, start)
    }

    /// Polls the account until its status is `status` (`live`, or `degraded` when polled), for at most `timeout`.
    func waitUntil(_ account: AccountID, token: String, is status: String = "live", timeout: Duration = .seconds(600)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let (_, body, _) = try await self.send("GET", "\(self.service)/api/accounts/\(account)", headers: [("Authorization", "Bearer \(token)")])
            if body["status"] as? String == status { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw BenchError("account \(account) not \(status) within \(timeout)")
    }

    /// Sets the simulator's faults and limits (`PUT /sim/faults`).
    func setFaults(_ json: String) async throws {
        let (status, body, _) = try await self.send("PUT", "\(self.simulator)/sim/faults", json: json)
        guard status == 200 else { throw BenchError("faults not set: \(status) \(body)") }
    }

    /// The simulator's counters (`GET /sim/stats`).
    func stats() async throws -> [String: Any] {
        try await self.send("GET", "\(self.simulator)/sim/stats").1
    }

    /// Graph requests the simulator served so far, by mailbox: all of them, or one endpoint's (one read of the
    /// counters, however many mailboxes).
    func requestCounts(endpoint: String? = nil) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for (name, perMailbox) in try await self.stats()["requests"] as? [String: [String: Any]] ?? [:] where endpoint == nil || name == endpoint {
            for (mailbox, count) in perMailbox { counts[mailbox, default: 0] += count as? Int ?? 0 }
        }
        return counts
    }

    /// Graph requests the simulator served for a mailbox: all of them, or one endpoint's.
    func requests(_ mailbox: String, endpoint: String? = nil) async throws -> Int {
        try await self.requestCounts(endpoint: endpoint)[mailbox] ?? 0
    }

    /// Records a subscription in the service's directory, as the service does when it subscribes, so the bench can
    /// post Graph's notifications for `account` itself.
    func registerSubscription(_ id: String, account: AccountID, clientState: String) async throws {
        let directory = RedisSubscriptionDirectory(client: TestEnvironment.redisClient(maximumConnections: 1), prefix: self.configuration.redisPrefix)
        try await directory.register(id, account: account, clientState: clientState, expiresAt: Date(timeIntervalSinceNow: 3600))
    }

    /// The simulator's truth: message id → isRead.
    func truth(_ mailbox: String) async throws -> [String: Bool] {
        let (_, state, _) = try await self.send("GET", "\(self.simulator)/sim/mailboxes/\(mailbox)/state")
        let messages = state["messages"] as? [[String: Any]] ?? []
        return Dictionary(
            uniqueKeysWithValues: messages.compactMap { message in
                (message["id"] as? String).map { ($0, (message["isRead"] as? Bool) ?? false) }
            }
        )
    }

    /// Polls `condition` until it holds; throws naming `what` after `timeout`.
    static func waitUntil(_ what: String, timeout: Duration = .seconds(120), _ condition: @Sendable () async throws -> Bool) async throws {
        guard try await TestEnvironment.eventually(timeout: timeout, condition) else { throw BenchError("timed out waiting until \(what)") }
    }
}
