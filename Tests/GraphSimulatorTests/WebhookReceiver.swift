import Foundation
import GraphSimulator
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// A webhook endpoint a test runs on a real port: it answers validation handshakes and records notifications.
actor WebhookInbox {
    enum Mode {
        case echo
        case wrongToken
        case refuse
    }

    var mode = Mode.echo
    var failuresBeforeSuccess = 0
    private(set) var notifications: [JSONValue] = []
    private(set) var validations: [String] = []

    func setMode(_ mode: Mode) { self.mode = mode }
    func failNext(_ count: Int) { self.failuresBeforeSuccess = count }

    fileprivate func validation(_ token: String) -> (Int, String) {
        self.validations.append(token)
        switch self.mode {
        case .echo: return (200, token)
        case .wrongToken: return (200, "not the token")
        case .refuse: return (500, "")
        }
    }

    fileprivate func receive(_ body: JSONValue) -> Int {
        if self.failuresBeforeSuccess > 0 {
            self.failuresBeforeSuccess -= 1
            return 503
        }
        self.notifications.append(body)
        return 202
    }

    /// Waits until `count` notifications arrived, polling with a deadline.
    func waitFor(_ count: Int, within limit: Duration = .seconds(20)) async -> [JSONValue] {
        let deadline = ContinuousClock.now + limit
        while self.notifications.count < count, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return self.notifications
    }
}

enum WebhookReceiver {
    /// Runs a receiver and the body with its base URL.
    static func run<T: Sendable>(_ inbox: WebhookInbox, _ body: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            var request = request
            if let token = request.uri.queryParameters["validationToken"] {
                // The token arrives form-encoded: + is a space.
                let decoded = String(token).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(token)
                let (status, text) = await inbox.validation(decoded)
                return Response(
                    status: .init(code: status),
                    headers: [.contentType: "text/plain"],
                    body: .init(byteBuffer: ByteBuffer(string: text))
                )
            }
            let buffer = try await request.collectBody(upTo: 1 << 20)
            let status = await inbox.receive(JSONValue.parse(Data(buffer.readableBytesView)) ?? .null)
            return Response(status: .init(code: status))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: Logger(label: "hook"))
        return try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)/hook")
        }
    }
}

enum SimulatorHarness {
    /// Runs a simulator on a real port and the body with a client of it.
    static func run<T: Sendable>(
        _ configure: (inout SimulatorConfiguration) -> Void = { _ in },
        _ body: @Sendable (GraphClient) async throws -> T
    ) async throws -> T {
        var configuration = SimulatorConfiguration()
        configuration.deliveryRetryDelay = .milliseconds(50)
        configure(&configuration)
        let app = buildGraphSimulator(configuration: configuration, host: "127.0.0.1", port: 0, logger: Logger(label: "sim"))
        return try await app.test(.live) { client in
            try await body(GraphClient(base: "http://127.0.0.1:\(client.port!)"))
        }
    }
}
