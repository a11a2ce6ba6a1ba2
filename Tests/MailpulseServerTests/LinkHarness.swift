import Foundation
import GraphSimulator
import HTTPTransport
import Hummingbird
import HummingbirdTesting
import Logging
import MailpulseServer
import TestSupport
import Testing

/// graph-sim and the service, each on a real port, and a "browser" that follows their redirects.
struct LinkHarness: Sendable {
    let simulator: String
    let service: String
    let configuration: MailpulseConfiguration
    let logs: LogRecorder
    let transport = URLSessionTransport()
    /// The sign-in binding cookies the service set, sent back to it as a browser would. Session cookies are not kept:
    /// tests present the account's token themselves, or nothing.
    let loginCookies = SharedValue<[String: String]>([:])
    /// The nodes the test built to look at the deployment (``TestNode``), closed when the harness ends.
    let nodes = SharedValue<[MailpulseNode]>([])

    struct Reply {
        var status: Int
        var headers: [String: String]
        var body: Data
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: self.body)) as? [String: Any] ?? [:] }
        var text: String { String(decoding: self.body, as: UTF8.self) }
    }

    /// The service's public URL: the address the browser and the simulator's webhooks reach it at.
    var publicURL: String { self.service }

    /// Runs both; the service's sync schedule is off unless `syncInterval` is given.
    static func run(
        syncInterval: Duration = .zero,
        graphPageSize: Int = 250,
        workers: Int = 4,
        webhooks: Bool = true,
        pollInterval: Duration = .seconds(60),
        renewalInterval: Duration = .seconds(300),
        renewalMargin: Duration = .seconds(24 * 3600),
        tunnelAPI: String? = nil,
        imapPageSize: Int = 500,
        sendsPerMinute: Int = 10,
        imapTrustedCertificates: String? = nil,
        _ body: @Sendable (LinkHarness) async throws -> Void
    ) async throws {
        let logs = LogRecorder()
        try await Self.withSimulator { simulatorURL in
            var configuration = try Self.configuration(simulator: simulatorURL)
            configuration.syncInterval = syncInterval
            configuration.graphPageSize = graphPageSize
            configuration.workers = workers
            configuration.webhooks = webhooks
            configuration.pollInterval = pollInterval
            configuration.renewalInterval = renewalInterval
            configuration.subscriptionRenewalMargin = renewalMargin
            configuration.tunnelAPIURL = tunnelAPI
            configuration.tunnelCheckInterval = .milliseconds(200)
            configuration.imapPageSize = imapPageSize
            configuration.sendsPerAccountPerMinute = sendsPerMinute
            configuration.imapTrustedCertificates = imapTrustedCertificates
            let settings = configuration
            let service = try await buildApplication(configuration: settings, logger: logs.logger())
            let harness = LinkHarness(simulator: simulatorURL, service: settings.resolvedPublicURL, configuration: settings, logs: logs)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.runService(gracefulShutdownSignals: []) }
                try await harness.waitUntilServing()
                do {
                    try await body(harness)
                } catch {
                    await harness.closeNodes()
                    group.cancelAll()
                    throw error
                }
                await harness.closeNodes()
                group.cancelAll()
            }
        }
    }

    /// Runs the simulator in this process and `count` service nodes as processes sharing one store and one Redis
    /// namespace; the harness talks to the first node. Every node is killed at the end.
    static func runProcesses(
        count: Int,
        graphPageSize: Int = 250,
        _ body: @Sendable (LinkHarness, [ServiceProcess]) async throws -> Void
    ) async throws {
        try await Self.withSimulator { simulatorURL in
            var configuration = try Self.configuration(simulator: simulatorURL)
            configuration.graphPageSize = graphPageSize
            let nodes = try (0..<count).map { index in
                try ServiceProcess(configuration, port: index == 0 ? configuration.port : try TestEnvironment.freePort())
            }
            defer {
                for node in nodes { node.kill() }
            }
            for node in nodes { try await node.start() }
            let harness = LinkHarness(simulator: simulatorURL, service: nodes[0].url, configuration: configuration, logs: LogRecorder())
            do {
                try await body(harness, nodes)
            } catch {
                await harness.closeNodes()
                throw error
            }
            await harness.closeNodes()
        }
    }

    private static func withSimulator(_ body: @Sendable (String) async throws -> Void) async throws {
        var simulatorConfiguration = SimulatorConfiguration()
        // The port of a loopback redirect URI is not compared, as at Microsoft.
        simulatorConfiguration.redirectURIs = ["http://127.0.0.1:8080/oauth/callback"]
        let simulator = buildGraphSimulator(configuration: simulatorConfiguration, host: "127.0.0.1", port: 0, logger: Logger(label: "sim"))
        try await simulator.test(.live) { simulatorClient in
            try await body("http://127.0.0.1:\(simulatorClient.port!)")
        }
    }

    /// A service configuration on a free port of its own, against the simulator, in a Redis namespace of its own.
    private static func configuration(simulator: String) throws -> MailpulseConfiguration {
        var configuration = try ApplicationTests.configuration()
        configuration.maximumBodyBytes = 1 << 20
        configuration.redisPrefix = TestEnvironment.uniquePrefix()
        configuration.microsoftClientID = SimulatorConfiguration().clientID
        configuration.identityBaseURL = simulator
        configuration.graphBaseURL = "\(simulator)/v1.0"
        configuration.port = try TestEnvironment.freePort()
        configuration.publicURL = "http://127.0.0.1:\(configuration.port)"
        configuration.syncInterval = .zero
        return configuration
    }

    /// The status of a GET, or `nil` when nothing answers.
    static func get(_ url: String) async throws -> Int {
        try await URLSessionTransport().send(HTTPRequestData(method: "GET", url: URL(string: url)!, timeout: .seconds(2))).status
    }

    /// Closes the nodes the test built, so that their Redis threads end with the test.
    func closeNodes() async {
        for node in self.nodes.update({ nodes in
            defer { nodes.removeAll() }
            return nodes
        }) {
            await node.close()
        }
    }

    /// Polls `/health` until the service answers, for at most 20 s.
    func waitUntilServing() async throws {
        let serving = try await TestEnvironment.eventually { (try? await self.send("GET", "/health"))?.status == 200 }
        if !serving { Issue.record("the service did not start serving within 20 s") }
    }

    /// Sends a request; a path goes to the service.
    func send(_ method: String, _ url: String, headers: [(String, String)] = [], json: String? = nil) async throws -> Reply {
        let target = url.hasPrefix("/") ? self.service + url : url
        let toService = target.hasPrefix(self.service)
        var allHeaders = headers
        if json != nil { allHeaders.append(("Content-Type", "application/json")) }
        let cookies = self.loginCookies.value
        if toService, !cookies.isEmpty, !headers.contains(where: { $0.0.lowercased() == "cookie" }) {
            allHeaders.append(("Cookie", cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")))
        }
        let response = try await self.transport.send(
            HTTPRequestData(method: method, url: URL(string: target)!, headers: allHeaders, body: json.map { Data($0.utf8) }, timeout: .seconds(20))
        )
        if toService, let setCookie = response.headers["set-cookie"] {
            self.keepLoginCookies(setCookie)
        }
        return Reply(status: response.status, headers: response.headers, body: response.body)
    }

    /// Keeps the `mailpulse_login_…` cookies of a `Set-Cookie` (several are joined by commas), dropping expired ones.
    private func keepLoginCookies(_ setCookie: String) {
        for cookie in setCookie.split(separator: ",") {
            let attributes = cookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let pair = attributes.first, let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals])
            guard name.hasPrefix("mailpulse_login_") else { continue }
            if attributes.contains("Max-Age=0") {
                self.loginCookies.value[name] = nil
            } else {
                self.loginCookies.value[name] = String(pair[pair.index(after: equals)...])
            }
        }
    }

    /// Creates a simulated mailbox; answers its id.
    @discardableResult
    func createMailbox(_ address: String, messages: Int = 2) async throws -> String {
        let body = "{\"address\":\"\(address)\",\"displayName\":\"Ada Lovelace\",\"messages\":\(messages),\"seed\":11}"
        let reply = try await self.send("POST", "\(self.simulator)/sim/mailboxes", json: body)
        #expect(reply.status == 201)
        return try #require(reply.json["id"] as? String)
    }

    /// Has graph-sim send a lifecycle notification (`missed`, `subscriptionRemoved`, `reauthorizationRequired`) for a
    /// subscription, as Graph would.
    func sendLifecycleEvent(_ event: String, for subscription: String) async throws {
        let reply = try await self.send("POST", "\(self.simulator)/sim/subscriptions/\(subscription)/lifecycle", json: #"{"event":"\#(event)"}"#)
        #expect((200..<300).contains(reply.status), "\(reply.text)")
    }

    /// `POST /api/accounts`: the id, the login URL and the token.
    func createAccount(callbackUrl: String? = nil) async throws -> (id: String, loginURL: String, token: String) {
        let body = callbackUrl.map { "{\"provider\":\"outlook\",\"callbackUrl\":\"\($0)\"}" } ?? "{\"provider\":\"outlook\"}"
        let reply = try await self.send("POST", "/api/accounts", json: body)
        #expect(reply.status == 201, "\(reply.text)")
        return (
            try #require(reply.json["id"] as? String), try #require(reply.json["loginUrl"] as? String), try #require(reply.json["token"] as? String)
        )
    }

    /// The browser at the login URL, already signed in as `address`: where the provider sends it back to.
    func signIn(_ loginURL: String, as address: String) async throws -> String {
        let reply = try await self.send("GET", "\(loginURL)&login_hint=\(address)")
        #expect(reply.status == 302)
        return try #require(reply.headers["location"])
    }

    /// Follows the provider's redirect into the service: the service's answer.
    func returnFromProvider(_ location: String) async throws -> Reply {
        try await self.send("GET", location)
    }

    func account(_ id: String, token: String) async throws -> Reply {
        try await self.send("GET", "/api/accounts/\(id)", headers: [("Authorization", "Bearer \(token)")])
    }

    /// Polls the account until its status is `status`, for at most `timeout`; answers the last status seen.
    @discardableResult
    func waitForStatus(_ id: String, token: String, _ status: String, timeout: Duration = .seconds(30)) async throws -> String {
        var current = ""
        _ = try await TestEnvironment.eventually(timeout: timeout) {
            current = try await self.account(id, token: token).json["status"] as? String ?? ""
            return current == status
        }
        return current
    }

    static func query(_ url: String) -> [String: String] {
        Dictionary(uniqueKeysWithValues: (URLComponents(string: url)?.queryItems ?? []).map { ($0.name, $0.value ?? "") })
    }
}
