import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import MailpulseServer
import Redis
import TestSupport
import Testing

@Suite struct ApplicationTests {
    /// A configuration on scratch files, with Redis where `make test` put it (or a closed port).
    static func configuration(redis: RedisURL? = TestEnvironment.redisURL) throws -> MailpulseConfiguration {
        let folder = try TestEnvironment.temporaryDirectory()
        var configuration = MailpulseConfiguration()
        configuration.port = 0
        configuration.sqlitePath = folder.appendingPathComponent("mail.sqlite").path
        configuration.tokenKeyFile = folder.appendingPathComponent("token.key").path
        configuration.maximumBodyBytes = 4096
        configuration.redisURL = try redis ?? RedisURL("redis://127.0.0.1:1")
        // The tests create their accounts from loopback; the limit has tests of its own.
        configuration.accountsPerClientPerHour = 1_000_000
        return configuration
    }

    static func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any])
    }

    @Test func healthAnswersWithoutDependencies() async throws {
        let app = try await buildApplication(configuration: Self.configuration(redis: nil), logger: Logger(label: "test"))
        try await app.test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                let body = try Self.json(response.body)
                #expect(body["status"] as? String == "ok")
            }
        }
    }

    @Test(.enabled(if: TestEnvironment.hasRedis, "needs REDIS_URL (make test provides it)"))
    func readyWhenRedisAndTheStoreAnswer() async throws {
        let app = try await buildApplication(configuration: Self.configuration(), logger: Logger(label: "test"))
        try await app.test(.router) { client in
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .ok)
                let body = try Self.json(response.body)
                #expect(body["status"] as? String == "ready")
                #expect(body["checks"] as? [String: String] == ["redis": "ok", "store": "ok"])
            }
        }
    }

    @Test func notReadyNamesRedisWhenItIsDown() async throws {
        let app = try await buildApplication(configuration: Self.configuration(redis: nil), logger: Logger(label: "test"))
        try await app.test(.router) { client in
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let body = try Self.json(response.body)
                #expect(body["message"] as? String == "unreachable: redis")
                #expect((body["checks"] as? [String: String])?["store"] == "ok")
            }
        }
    }

    @Test func unknownRoutesGetAJSONError() async throws {
        let app = try await buildApplication(configuration: Self.configuration(redis: nil), logger: Logger(label: "test"))
        try await app.test(.router) { client in
            try await client.execute(uri: "/no/such/route", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                let error = try #require(try Self.json(response.body)["error"] as? [String: Any])
                #expect(error["status"] as? Int == 404)
                #expect((error["message"] as? String)?.isEmpty == false)
            }
        }
    }

    @Test func oversizedBodiesAreRefusedWith413() async throws {
        let app = try await buildApplication(configuration: Self.configuration(redis: nil), logger: Logger(label: "test"))
        try await app.test(.router) { client in
            let body = ByteBuffer(repeating: UInt8(ascii: "x"), count: 5000)
            try await client.execute(uri: "/health", method: .post, body: body) { response in
                #expect(response.status == .contentTooLarge)
                let error = try #require(try Self.json(response.body)["error"] as? [String: Any])
                #expect(error["message"] as? String == "the request body exceeds 4096 bytes")
            }
        }
    }

    @Test func aBadTokenKeyStopsTheStart() async throws {
        var configuration = try Self.configuration(redis: nil)
        configuration.tokenKey = "too-short"
        let error = await #expect(throws: ConfigurationError.self) {
            _ = try await buildApplication(configuration: configuration, logger: Logger(label: "test"))
        }
        #expect(error?.key == "TOKEN_KEY")
    }
}
