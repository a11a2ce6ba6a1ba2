import Logging
import MailpulseCore
import Redis
import RedisBackplane
import Synchronization
import TestSupport
import Testing

@Suite(.enabled(if: TestEnvironment.hasRedis, "needs REDIS_URL (make test provides it)"))
struct RedisBackplaneTests {
    let client: RedisClient
    let backplane: RedisBackplane
    let prefix = TestEnvironment.uniquePrefix()

    init() {
        self.client = TestEnvironment.redisClient(maximumConnections: 8)
        self.backplane = RedisBackplane(client: self.client, prefix: self.prefix)
    }

    @Test func aBucketNeverGrantsMoreThanItsCapacityPlusItsRefill() async throws {
        let limit = RateLimit(capacity: 20, per: .seconds(1))
        let start = ContinuousClock.now
        let granted = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<400 {
                group.addTask {
                    try await self.backplane.takeTokens(1, from: "mailbox:a", limit: limit) == .granted ? 1 : 0
                }
            }
            return try await group.reduce(0, +)
        }
        let elapsed = ContinuousClock.now - start
        // The bucket starts full (20) and refills 20 per second while the callers race.
        let ceiling = 20 + Int((elapsed / .seconds(1)) * 20) + 1
        #expect(granted >= 20)
        #expect(granted <= ceiling, "granted \(granted) in \(elapsed), ceiling \(ceiling)")
        await self.client.close()
    }

    @Test func anEmptyBucketSaysHowLongToWait() async throws {
        let limit = RateLimit(capacity: 2, per: .seconds(10))
        #expect(try await self.backplane.takeTokens(2, from: "b", limit: limit) == .granted)
        guard case .retryAfter(let wait) = try await self.backplane.takeTokens(1, from: "b", limit: limit) else {
            Issue.record("an empty bucket granted a token")
            return
        }
        // One token refills in 5 s.
        #expect(wait > .seconds(4) && wait <= .seconds(5))
        #expect(try await self.backplane.takeTokens(1, from: "other", limit: limit) == .granted)
        await self.client.close()
    }

    @Test func aLeaseNeverAdmitsMoreThanItsLimit() async throws {
        let probe = HolderCount()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<64 {
                group.addTask {
                    for _ in 0..<5 {
                        guard let lease = try await self.backplane.acquireLease("mailbox:c", limit: 4, ttl: .seconds(30)) else {
                            await Task.yield()
                            continue
                        }
                        probe.enter()
                        try await self.client.ping()
                        probe.leave()
                        try await self.backplane.releaseLease(lease)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(probe.most <= 4)
        #expect(probe.admitted >= 4)
        await self.client.close()
    }

    @Test func aLeaseOfADeadHolderExpires() async throws {
        // Long enough that the second try comes within it even when every suite runs at once on two cores.
        let first = try #require(try await self.backplane.acquireLease("d", limit: 1, ttl: .milliseconds(1500)))
        #expect(try await self.backplane.acquireLease("d", limit: 1, ttl: .milliseconds(1500)) == nil)
        _ = first
        let deadline = ContinuousClock.now + .seconds(5)
        var next: Lease?
        while next == nil && ContinuousClock.now < deadline {
            next = try await self.backplane.acquireLease("d", limit: 1, ttl: .seconds(30))
        }
        #expect(next != nil)
        await self.client.close()
    }

    @Test func aPauseKeepsTheLongerOfTwo() async throws {
        #expect(try await self.backplane.remainingPause("m") == nil)
        try await self.backplane.pause("m", for: .seconds(60))
        try await self.backplane.pause("m", for: .seconds(1))
        let remaining = try #require(try await self.backplane.remainingPause("m"))
        #expect(remaining > .seconds(58))
        await self.client.close()
    }

    @Test func aLockIsExclusiveAndOnlyItsHolderFreesIt() async throws {
        let first = try #require(try await self.backplane.lock("refresh:a", ttl: .seconds(30)))
        #expect(try await self.backplane.lock("refresh:a", ttl: .seconds(30)) == nil)
        let impostor = LockGrant(key: "refresh:a", holder: "someone-else")
        #expect(try await !self.backplane.unlock(impostor))
        #expect(try await !self.backplane.extendLock(impostor, ttl: .seconds(30)))
        #expect(try await self.backplane.unlock(first))
        let second = try #require(try await self.backplane.lock("refresh:a", ttl: .seconds(30)))
        #expect(second.holder != first.holder)
        await self.client.close()
    }

    @Test func concurrentLockersGetOneGrant() async throws {
        let grants = try await withThrowingTaskGroup(of: LockGrant?.self) { group in
            for _ in 0..<50 {
                group.addTask { try await self.backplane.lock("race", ttl: .seconds(30)) }
            }
            return try await group.compactMap { $0 }.reduce(into: [LockGrant]()) { $0.append($1) }
        }
        #expect(grants.count == 1)
        await self.client.close()
    }

    @Test func aSingleUseKeyIsTakenOnce() async throws {
        #expect(try await self.backplane.putSingleUse("state:xyz", value: "account-1", ttl: .seconds(600)))
        #expect(try await !self.backplane.putSingleUse("state:xyz", value: "account-2", ttl: .seconds(600)))
        let takes = try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<20 {
                group.addTask { try await self.backplane.takeSingleUse("state:xyz") }
            }
            return try await group.compactMap { $0 }.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(takes == ["account-1"])
        await self.client.close()
    }

    @Test func aSingleUseKeyExpires() async throws {
        #expect(try await self.backplane.putSingleUse("short", value: "v", ttl: .milliseconds(50)))
        let deadline = ContinuousClock.now + .seconds(5)
        while try await self.client.pttl("\(self.prefix)once:short") != nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(try await self.backplane.takeSingleUse("short") == nil)
        await self.client.close()
    }

    @Test func theLiveNodesAreThoseWhoseHeartbeatLivesAndALeavingNodeGoesAtOnce() async throws {
        #expect(try await self.backplane.heartbeat("node-b", ttl: .seconds(30)) == ["node-b"])
        #expect(try await self.backplane.heartbeat("node-a", ttl: .seconds(30)) == ["node-a", "node-b"])
        #expect(try await self.backplane.heartbeat("node-c", ttl: .milliseconds(50)) == ["node-a", "node-b", "node-c"])
        // node-c says nothing more: it drops out when its heartbeat ends.
        let gone = try await TestEnvironment.eventually { try await self.backplane.heartbeat("node-a", ttl: .seconds(30)) == ["node-a", "node-b"] }
        #expect(gone)
        try await self.backplane.leave("node-b")
        #expect(try await self.backplane.heartbeat("node-a", ttl: .seconds(30)) == ["node-a"])
        await self.client.close()
    }

    @Test func silencedDoorbellsAreGoneUnanswered() async throws {
        try await self.backplane.ringDoorbells(["doorbell:gone:inbox", "followup:gone", "doorbell:kept:inbox"], settle: .zero, patience: .zero)
        try await self.backplane.silenceDoorbells(startingWith: ["doorbell:gone:", "followup:gone"])
        #expect(try await self.backplane.answerDoorbells(limit: 10) == ["doorbell:kept:inbox"])
        let left = try await self.client.send(["HLEN", RedisArgument("\(self.prefix)doorbells:first")])
        #expect(left.integer == 0, "no first-ring time is left behind")
    }

    @Test func aDoorbellIsAnsweredOnceDueAndByOneCallerOnly() async throws {
        let keys = (0..<50).map { "doorbell:\(self.prefix):\($0)" }
        try await self.backplane.ringDoorbells(keys, settle: .zero, patience: .seconds(3600))
        // Rung with an hour to settle: not due, unless its patience has run out.
        try await self.backplane.ringDoorbells(["settling"], settle: .seconds(3600), patience: .seconds(7200))
        try await self.backplane.ringDoorbells(["impatient"], settle: .seconds(3600), patience: .zero)
        let answered = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<8 { group.addTask { try await self.backplane.answerDoorbells(limit: 10) } }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(answered.sorted() == (keys + ["impatient"]).sorted(), "each due doorbell answered exactly once")
        #expect(try await self.backplane.answerDoorbells(limit: 100).isEmpty)
    }
}

/// Counts holders of a lease as the test sees them: how many at most at once, and how many in all.
private final class HolderCount: Sendable {
    private let state = Mutex((holding: 0, most: 0, admitted: 0))

    func enter() {
        self.state.withLock {
            $0.holding += 1
            $0.admitted += 1
            $0.most = max($0.most, $0.holding)
        }
    }

    func leave() {
        self.state.withLock { $0.holding -= 1 }
    }

    var most: Int { self.state.withLock { $0.most } }
    var admitted: Int { self.state.withLock { $0.admitted } }
}
