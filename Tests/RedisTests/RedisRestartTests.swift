import Logging
import Redis
import TestSupport
import Testing

@Suite(.enabled(if: TestEnvironment.hasRedisServerBinary, "needs redis-server on PATH"))
struct RedisRestartTests {
    @Test func theNextCommandSucceedsAfterTheServerRestarts() async throws {
        let server = try RedisTestServer()
        try await server.start()
        let client = RedisClient(configuration: RedisConfiguration(url: server.url, maximumConnections: 2), logger: Logger(label: "test"))
        try await client.set("before", to: "1")
        // Open a second pooled connection too, so that every idle connection is stale after the restart.
        async let a: Void = client.ping()
        async let b: Void = client.ping()
        _ = try await (a, b)

        server.stop()
        await #expect(throws: RedisError.self) { try await client.ping() }
        try await server.start()

        try await client.set("after", to: "2")
        #expect(try await client.get("after") == "2")
        await client.close()
    }

    @Test func aSubscriptionResubscribesAfterTheServerRestarts() async throws {
        let server = try RedisTestServer()
        try await server.start()
        let client = RedisClient(configuration: RedisConfiguration(url: server.url), logger: Logger(label: "test"))
        var events = RedisSubscriber(url: server.url, logger: Logger(label: "test")).subscribe(to: ["c"]).makeAsyncIterator()
        #expect(await events.next() == .subscribed)

        server.stop()
        try await server.start()

        #expect(await events.next() == .subscribed)
        #expect(try await client.publish("back", to: "c") == 1)
        #expect(await events.next() == .message(channel: "c", payload: "back"))
        await client.close()
    }

    @Test func scriptsRunAgainAfterTheServerForgetsThem() async throws {
        // A server of its own: flushing the script cache of the shared one would disturb other suites.
        let server = try RedisTestServer()
        try await server.start()
        let client = RedisClient(configuration: RedisConfiguration(url: server.url), logger: Logger(label: "test"))
        let script = RedisScript("return {KEYS[1], ARGV[1]}")
        #expect(try await client.evaluate(script, keys: ["k"], arguments: ["x"]) == .array([.bulkString(Array("k".utf8)), .bulkString([120])]))
        try await client.send(["SCRIPT", "FLUSH"])
        #expect(try await client.evaluate(script, keys: ["k"], arguments: ["y"]) == .array([.bulkString(Array("k".utf8)), .bulkString([121])]))
        server.stop()
        try await server.start()
        #expect(try await client.evaluate(script, keys: ["k"], arguments: ["z"]).array?.count == 2)
        await client.close()
    }
}
