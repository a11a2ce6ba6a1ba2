import Foundation
import Logging
import MailpulseCore
import Redis
import RedisBackplane
import TestSupport
import Testing

@Suite(.enabled(if: TestEnvironment.hasRedis, "needs REDIS_URL (make test provides it)"))
struct RedisAccountEventPublisherTests {
    @Test func eventsGetConsecutiveSequenceNumbersAreBroadcastAndTheLogIsBounded() async throws {
        let client = TestEnvironment.redisClient(maximumConnections: 2)
        let prefix = TestEnvironment.uniquePrefix()
        let publisher = RedisAccountEventPublisher(client: client, prefix: prefix, logLength: 5, logger: Logger(label: "test"))
        let account = AccountID.random()
        let events = RedisSubscriber(url: TestEnvironment.redisURL!, logger: Logger(label: "test")).subscribe(to: [publisher.channel(of: account)])
        var iterator = events.makeAsyncIterator()
        #expect(await iterator.next() == .subscribed)

        await publisher.publish([.activity("one"), .accountStatus(.live)], for: account)
        await publisher.publish(.messageDeleted(id: "m1"), for: account)
        var received: [[String: Any]] = []
        while received.count < 3, case .message(_, let payload) = await iterator.next() {
            received.append(try #require(try JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any]))
        }
        #expect(received.map { $0["seq"] as? Int } == [1, 2, 3])
        #expect(received.map { $0["type"] as? String } == ["activity", "account.status", "message.deleted"])
        #expect(received[1]["status"] as? String == "live")
        let now = Date().timeIntervalSince1970 * 1000
        #expect(received.allSatisfy { abs(($0["at"] as? Double ?? 0) - now) < 60_000 }, "each event carries the server's time in ms")

        await publisher.publish((0..<10).map { AccountEvent.activity("\($0)") }, for: account)
        let log = try await client.send(["LRANGE", RedisArgument("\(prefix)events:log:\(account)"), 0, -1])
        #expect(log.array?.count == 5)
        #expect(log.array?.last?.string?.hasPrefix("{\"seq\":13,") == true)
    }

    @Test func theLogIsBoundedByBytesTooAndItsSizeIsKept() async throws {
        let client = TestEnvironment.redisClient(maximumConnections: 2)
        let prefix = TestEnvironment.uniquePrefix()
        let publisher = RedisAccountEventPublisher(client: client, prefix: prefix, logLength: 256, logBytes: 4_096, logger: Logger(label: "test"))
        let account = AccountID.random()
        let large = String(repeating: "x", count: 1_000)
        await publisher.publish((0..<10).map { AccountEvent.activity("\($0) \(large)") }, for: account)
        await publisher.publish(.activity("small"), for: account)
        let log = try await client.send(["LRANGE", RedisArgument("\(prefix)events:log:\(account)"), 0, -1]).array?.compactMap(\.string) ?? []
        let bytes = log.reduce(0) { $0 + $1.utf8.count }
        #expect(bytes <= 4_096, "the log holds at most its bytes")
        #expect(log.count == 4, "the newest events that fit: three large ones and the small one")
        #expect(log.last?.contains("small") == true)
        let size = try await client.get("\(prefix)events:size:\(account)")
        #expect(Int(size ?? "") == bytes, "the kept size is the log's")
        #expect(try await publisher.lastSequence(of: account) == 11, "sequence numbers count every event, kept or not")
        try await publisher.forget(account)
        #expect(try await client.get("\(prefix)events:size:\(account)") == nil)
    }
}
