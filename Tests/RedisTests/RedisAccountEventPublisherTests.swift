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
}
