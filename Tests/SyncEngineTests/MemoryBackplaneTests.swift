import MailpulseCore
import SyncEngine
import Testing

/// The coordination rules every node shares (the Redis scripts' rules), on a clock the test moves.
@Suite struct MemoryBackplaneTests {
    let clock = ManualClock()
    var backplane: MemoryBackplane<ManualClock> { MemoryBackplane(clock: self.clock) }

    @Test func aBucketGrantsItsCapacityThenSaysHowLongToWait() async throws {
        let backplane = self.backplane
        let limit = RateLimit(capacity: 10, per: .seconds(10))
        for _ in 0..<10 { #expect(try await backplane.takeTokens(1, from: "mailbox:a", limit: limit) == .granted) }
        #expect(try await backplane.takeTokens(1, from: "mailbox:a", limit: limit) == .retryAfter(.seconds(1)))
        #expect(try await backplane.takeTokens(3, from: "mailbox:a", limit: limit) == .retryAfter(.seconds(3)))
        // Another bucket is its own.
        #expect(try await backplane.takeTokens(1, from: "mailbox:b", limit: limit) == .granted)
    }

    @Test func aBucketRefillsWithTimeButNeverPastItsCapacity() async throws {
        let backplane = self.backplane
        let limit = RateLimit(capacity: 4, per: .seconds(4))
        for _ in 0..<4 { _ = try await backplane.takeTokens(1, from: "b", limit: limit) }
        self.clock.advance(by: .seconds(2))
        #expect(try await backplane.takeTokens(2, from: "b", limit: limit) == .granted)
        #expect(try await backplane.takeTokens(1, from: "b", limit: limit) != .granted)
        self.clock.advance(by: .seconds(3600))
        for _ in 0..<4 { #expect(try await backplane.takeTokens(1, from: "b", limit: limit) == .granted) }
        #expect(try await backplane.takeTokens(1, from: "b", limit: limit) != .granted)
    }

    @Test func leasesLimitHoldersAndComeBackWhenReleasedOrExpired() async throws {
        let backplane = self.backplane
        let first = try #require(try await backplane.acquireLease("m", limit: 2, ttl: .seconds(30)))
        #expect(try await backplane.acquireLease("m", limit: 2, ttl: .seconds(30)) != nil)
        #expect(try await backplane.acquireLease("m", limit: 2, ttl: .seconds(30)) == nil)
        try await backplane.releaseLease(first)
        #expect(try await backplane.acquireLease("m", limit: 2, ttl: .seconds(30)) != nil)
        #expect(try await backplane.acquireLease("m", limit: 2, ttl: .seconds(30)) == nil)
        // A holder that died frees its slot when its time is up.
        self.clock.advance(by: .seconds(31))
        #expect(try await backplane.acquireLease("m", limit: 2, ttl: .seconds(30)) != nil)
    }

    @Test func aPauseKeepsTheLongerOneAndEnds() async throws {
        let backplane = self.backplane
        #expect(try await backplane.remainingPause("m") == nil)
        try await backplane.pause("m", for: .seconds(60))
        try await backplane.pause("m", for: .seconds(1))
        #expect(try await backplane.remainingPause("m") == .seconds(60))
        self.clock.advance(by: .seconds(59))
        #expect(try await backplane.remainingPause("m") == .seconds(1))
        self.clock.advance(by: .seconds(1))
        #expect(try await backplane.remainingPause("m") == nil)
    }

    @Test func aLockIsExclusiveAndOnlyItsHolderExtendsOrFreesIt() async throws {
        let backplane = self.backplane
        let grant = try #require(try await backplane.lock("sync:a", ttl: .seconds(15)))
        #expect(try await backplane.lock("sync:a", ttl: .seconds(15)) == nil)
        let impostor = LockGrant(key: "sync:a", holder: "someone-else")
        #expect(try await !backplane.extendLock(impostor, ttl: .seconds(15)))
        #expect(try await !backplane.unlock(impostor))
        self.clock.advance(by: .seconds(10))
        #expect(try await backplane.extendLock(grant, ttl: .seconds(15)))
        self.clock.advance(by: .seconds(10))
        #expect(try await backplane.lock("sync:a", ttl: .seconds(15)) == nil, "extended, so still held")
        #expect(try await backplane.unlock(grant))
        #expect(try await backplane.lock("sync:a", ttl: .seconds(15)) != nil)
    }

    @Test func aLapsedLockCannotBeExtendedOnceTaken() async throws {
        let backplane = self.backplane
        let grant = try #require(try await backplane.lock("sync:a", ttl: .seconds(15)))
        self.clock.advance(by: .seconds(16))
        let other = try #require(try await backplane.lock("sync:a", ttl: .seconds(15)))
        #expect(try await !backplane.extendLock(grant, ttl: .seconds(15)))
        #expect(try await !backplane.unlock(grant))
        #expect(try await backplane.unlock(other))
    }

    @Test func aSingleUseValueIsTakenOnceAndExpires() async throws {
        let backplane = self.backplane
        #expect(try await backplane.putSingleUse("oauth-state:s", value: "v", ttl: .seconds(600)))
        #expect(try await !backplane.putSingleUse("oauth-state:s", value: "w", ttl: .seconds(600)))
        #expect(try await backplane.takeSingleUse("oauth-state:s") == "v")
        #expect(try await backplane.takeSingleUse("oauth-state:s") == nil)
        #expect(try await backplane.putSingleUse("oauth-state:t", value: "v", ttl: .seconds(600)))
        self.clock.advance(by: .seconds(600))
        #expect(try await backplane.takeSingleUse("oauth-state:t") == nil)
    }

    @Test func forgettingANameRemovesEverythingUnderIt() async throws {
        let backplane = self.backplane
        let limit = RateLimit(capacity: 1, per: .seconds(600))
        _ = try await backplane.takeTokens(1, from: "mailbox:a", limit: limit)
        try await backplane.pause("mailbox:a", for: .seconds(60))
        _ = try await backplane.lock("mailbox:a", ttl: .seconds(60))
        try await backplane.forget(["mailbox:a"])
        #expect(try await backplane.takeTokens(1, from: "mailbox:a", limit: limit) == .granted)
        #expect(try await backplane.remainingPause("mailbox:a") == nil)
        #expect(try await backplane.lock("mailbox:a", ttl: .seconds(60)) != nil)
    }
}
