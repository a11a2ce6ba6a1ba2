import Foundation
import Logging
import Redis
import TestSupport
import Testing

@Suite(.enabled(if: TestEnvironment.hasRedis, "needs REDIS_URL (make test provides it)"))
struct RedisClientTests {
    let client: RedisClient
    let prefix = TestEnvironment.uniquePrefix()

    init() {
        self.client = TestEnvironment.redisClient(maximumConnections: 4)
    }

    @Test func stringsWithOnlyIfAbsentAndExpiry() async throws {
        let key = self.prefix + "string"
        #expect(try await self.client.set(key, to: "one", onlyIfAbsent: true))
        #expect(try await !self.client.set(key, to: "two", onlyIfAbsent: true))
        #expect(try await self.client.get(key) == "one")
        try await self.client.set(key, to: "three", expiry: .seconds(30))
        let ttl = try #require(try await self.client.pttl(key))
        #expect(ttl > .seconds(29) && ttl <= .seconds(30))
        #expect(try await self.client.getdel(key) == "three")
        #expect(try await self.client.get(key) == nil)
        #expect(try await self.client.pttl(key) == nil)
        await self.client.close()
    }

    @Test func argumentsAreBinarySafe() async throws {
        let key = self.prefix + "binary"
        let bytes: [UInt8] = [0, 1, 2, 0, 255, 13, 10, 0]
        try await self.client.send(["SET", RedisArgument(key), RedisArgument(bytes: bytes)])
        #expect(try await self.client.send(["GET", RedisArgument(key)]) == .bulkString(bytes))
        #expect(try await self.client.send(["STRLEN", RedisArgument(key)]) == .integer(8))
        await self.client.close()
    }

    @Test func hashes() async throws {
        let key = self.prefix + "hash"
        #expect(try await self.client.hset(key, [("a", "1"), ("b", "2")]) == 2)
        #expect(try await self.client.hget(key, field: "b") == "2")
        #expect(try await self.client.hgetall(key) == ["a": "1", "b": "2"])
        #expect(try await self.client.hdel(key, fields: "a", "missing") == 1)
        #expect(try await self.client.hgetall(key) == ["b": "2"])
        await self.client.close()
    }

    @Test func serverErrorsAreTypedAndLeaveTheConnectionUsable() async throws {
        let key = self.prefix + "wrongtype"
        try await self.client.set(key, to: "text")
        let error = await #expect(throws: RedisError.self) { try await self.client.hget(key, field: "x") }
        #expect(error?.isServerError == true)
        #expect(error?.message.hasPrefix("WRONGTYPE") == true)
        #expect(try await self.client.get(key) == "text")
        await self.client.close()
    }

    @Test func aCallerWaitsForABusyPoolOnlyUntilTheCheckoutTimeout() async throws {
        let client = RedisClient(
            configuration: RedisConfiguration(url: TestEnvironment.redisURL!, maximumConnections: 1, checkoutTimeout: .milliseconds(200)),
            logger: Logger(label: "test")
        )
        let key = self.prefix + "never-filled"
        // The only connection blocks on an empty list for 3 s.
        let blocked = Task { try await client.execute(GenericCommand(["BLPOP", RedisArgument(key), "3"], replyTimeout: .seconds(5))) }
        let blocking = try await TestEnvironment.eventually(timeout: .seconds(2)) {
            try await self.client.send(["CLIENT", "LIST"]).string?.contains("cmd=blpop") == true
        }
        #expect(blocking)
        let waited = await #expect(throws: RedisError.self) { try await client.get(key) }
        #expect(waited?.description.contains("no connection free") == true)
        _ = try await blocked.value
        #expect(try await client.get(key) == nil, "the pool serves again once the connection is back")
        await client.close()
        await self.client.close()
    }

    @Test func aCommandThatMayHaveRunIsNeverSentTwiceButAReadIsRetried() async throws {
        let proxy = try ReplyDroppingProxy(upstream: TestEnvironment.redisURL!)
        defer { proxy.stop() }
        let client = RedisClient(configuration: RedisConfiguration(url: proxy.url, maximumConnections: 1), logger: Logger(label: "test"))
        let key = self.prefix + "counter"
        try await client.ping()
        // The server increments, the answer is lost on the way: sending INCR again would count twice.
        proxy.dropNextReply()
        await #expect(throws: RedisError.self) { try await client.incr(key) }
        #expect(try await self.client.get(key) == "1")
        // A read lost the same way is simply asked again, on a new connection.
        try await client.ping()
        proxy.dropNextReply()
        #expect(try await client.get(key) == "1")
        await client.close()
        await self.client.close()
    }

    @Test func manyConcurrentCallersShareASmallPool() async throws {
        let key = self.prefix + "counter"
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<200 {
                group.addTask { try await self.client.incr(key) }
            }
            try await group.waitForAll()
        }
        #expect(try await self.client.get(key) == "200")
        await self.client.close()
    }

    @Test func streamsWithConsumerGroups() async throws {
        let stream = self.prefix + "stream"
        try await self.client.ensureGroup("workers", on: stream)
        try await self.client.ensureGroup("workers", on: stream)
        let first = try await self.client.xadd(stream, fields: [("kind", "created"), ("id", "m1")], approximateMaximumLength: 1000)
        try await self.client.xadd(stream, fields: [("kind", "updated"), ("id", "m2")])
        #expect(try await self.client.xlen(stream) == 2)

        let read = try await self.client.xreadgroup(stream, group: "workers", consumer: "a", count: 10, block: .milliseconds(100))
        #expect(read.map(\.id).first == first)
        #expect(read.map { $0["id"] } == ["m1", "m2"])
        #expect(try await self.client.xack(stream, group: "workers", ids: [first]) == 1)

        // Nothing new: a blocking read times out empty, and the connection stays usable.
        #expect(try await self.client.xreadgroup(stream, group: "workers", consumer: "a", count: 10, block: .milliseconds(50)).isEmpty)

        // Consumer a "dies" with m2 pending; b claims it.
        let claimed = try await self.client.xautoclaim(stream, group: "workers", consumer: "b", minimumIdle: .zero)
        #expect(claimed.entries.map { $0["id"] } == ["m2"])
        #expect(try await self.client.xack(stream, group: "workers", ids: claimed.entries.map(\.id)) == 1)
        await self.client.close()
    }

    @Test func publishReachesASubscriber() async throws {
        let channel = self.prefix + "events"
        let subscriber = RedisSubscriber(url: TestEnvironment.redisURL!, logger: Logger(label: "test"))
        let events = subscriber.subscribe(to: [channel])
        var iterator = events.makeAsyncIterator()
        #expect(await iterator.next() == .subscribed)
        #expect(try await self.client.publish("hello", to: channel) == 1)
        #expect(await iterator.next() == .message(channel: channel, payload: "hello"))
        await self.client.close()
    }

    @Test func aPatternSubscriptionReceivesEveryMatchingChannelWithItsName() async throws {
        let subscriber = RedisSubscriber(url: TestEnvironment.redisURL!, logger: Logger(label: "test"))
        var iterator = subscriber.subscribe(toPatterns: [self.prefix + "events:*"]).makeAsyncIterator()
        #expect(await iterator.next() == .subscribed)
        #expect(try await self.client.publish("other", to: self.prefix + "elsewhere") == 0)
        #expect(try await self.client.publish("a", to: self.prefix + "events:1") == 1)
        #expect(try await self.client.publish("b", to: self.prefix + "events:2") == 1)
        #expect(await iterator.next() == .message(channel: self.prefix + "events:1", payload: "a"))
        #expect(await iterator.next() == .message(channel: self.prefix + "events:2", payload: "b"))
        await self.client.close()
    }

    @Test func aClosedClientRefusesCommands() async throws {
        await self.client.close()
        await #expect(throws: RedisError.self) { try await self.client.ping() }
    }
}
