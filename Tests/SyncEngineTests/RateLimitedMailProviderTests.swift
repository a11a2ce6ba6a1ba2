import MailpulseCore
import SyncEngine
import Testing

/// A mailbox's limits, shared by every node through the backplane: throttling pauses the mailbox for the provider's
/// `Retry-After` (on the backplane's clock), and an empty bucket makes callers wait rather than send.
@Suite struct RateLimitedMailProviderTests {
    @Test func aThrottledReadPausesTheMailboxAndIsSentAgainWhenThePauseEnds() async throws {
        let engine = try await SyncEngineFixtures.linked()
        engine.provider.addFolder("inbox", "Inbox")
        engine.provider.put("m1", in: "inbox")
        engine.provider.throttleReads([.seconds(30)])
        let limited = RateLimitedMailProvider(
            engine.provider,
            kind: .outlook,
            backplane: engine.backplane,
            events: engine.events,
            clock: engine.clock
        )
        let read = Task { try await limited.message("m1", of: engine.account, accessToken: "t") }
        try await SyncEngineFixtures.until("the call waits on the clock") { engine.clock.sleepers > 0 }
        // Every node sees the pause, and nothing is sent while it lasts.
        #expect(try await engine.backplane.remainingPause(RateLimitedMailProvider.mailboxKey(engine.account)) == .seconds(30))
        #expect(engine.provider.calls.reads == 1)
        engine.clock.advance(by: .seconds(30))
        #expect(try await read.value?.id == "m1")
        #expect(engine.provider.calls.reads == 2)
        #expect(engine.events.events(of: engine.account) == [.activity("Throttled by the provider: requests paused for 30 s")])
    }

    @Test func anEmptyBucketHoldsTheNextRequestUntilItRefills() async throws {
        let engine = try await SyncEngineFixtures.linked()
        engine.provider.addFolder("inbox", "Inbox")
        engine.provider.put("m1", in: "inbox")
        let limited = RateLimitedMailProvider(
            engine.provider,
            kind: .outlook,
            backplane: engine.backplane,
            limit: RateLimit(capacity: 2, per: .seconds(60)),
            clock: engine.clock
        )
        for _ in 0..<2 { _ = try await limited.message("m1", of: engine.account, accessToken: "t") }
        let third = Task { try await limited.message("m1", of: engine.account, accessToken: "t") }
        try await SyncEngineFixtures.until("the call waits on the clock") { engine.clock.sleepers > 0 }
        #expect(engine.provider.calls.reads == 2)
        engine.clock.advance(by: .seconds(30))
        _ = try await third.value
        #expect(engine.provider.calls.reads == 3)
    }

    @Test func everyCallGivesItsConcurrencySlotBack() async throws {
        let engine = try await SyncEngineFixtures.linked()
        engine.provider.addFolder("inbox", "Inbox")
        engine.provider.put("m1", in: "inbox")
        let limited = RateLimitedMailProvider(engine.provider, kind: .outlook, backplane: engine.backplane, concurrency: 1, clock: engine.clock)
        for _ in 0..<5 { _ = try await limited.message("m1", of: engine.account, accessToken: "t") }
        #expect(try await engine.backplane.acquireLease(RateLimitedMailProvider.mailboxKey(engine.account), limit: 1, ttl: .seconds(1)) != nil)
    }
}
