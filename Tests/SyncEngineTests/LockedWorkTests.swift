import MailpulseCore
import SyncEngine
import Synchronization
import Testing

/// Work under a lock: kept alive while it runs, stopped as soon as the lock is lost, skipped or waited for when busy.
@Suite struct LockedWorkTests {
    let clock = ManualClock()

    @Test func workWhoseLockLapsedIsCancelledAndTheLockIsNotFreedForItsNewHolder() async throws {
        let backplane = MemoryBackplane(clock: self.clock)
        let work = LockedWork(backplane: backplane, ttl: .seconds(15), clock: self.clock)
        let stopped = Mutex(false)
        let running = Task {
            try await work.run("sync:a", wait: false) {
                do {
                    try await self.clock.sleep(for: .seconds(3600))
                } catch {
                    stopped.withLock { $0 = true }
                    throw error
                }
            }
        }
        // Body and extender asleep; then the node is cut off for longer than the lock lives.
        try await SyncEngineFixtures.until("the work and its lock keeper sleep") { self.clock.sleepers == 2 }
        self.clock.advance(by: .seconds(16))
        let outcome = await running.result
        #expect(throws: LockedWork.LockLost.self) { try outcome.get() }
        #expect(stopped.withLock { $0 }, "the work saw its cancellation")
    }

    @Test func workKeepsItsLockAliveWhileItRuns() async throws {
        let backplane = MemoryBackplane(clock: self.clock)
        let work = LockedWork(backplane: backplane, ttl: .seconds(15), clock: self.clock)
        let finish = Mutex<CheckedContinuation<Void, Never>?>(nil)
        let running = Task {
            try await work.run("sync:a", wait: false) {
                await withCheckedContinuation { continuation in finish.withLock { $0 = continuation } }
            }
        }
        for _ in 0..<6 {
            try await SyncEngineFixtures.until("the work runs and its lock keeper sleeps") {
                self.clock.sleepers == 1 && finish.withLock { $0 != nil }
            }
            self.clock.advance(by: .seconds(5))
            // A minute later, another node still finds the lock held.
            #expect(try await backplane.lock("sync:a", ttl: .seconds(15)) == nil)
        }
        finish.withLock { $0?.resume() }
        #expect(try await running.value)
        #expect(try await backplane.lock("sync:a", ttl: .seconds(15)) != nil, "freed when the work ended")
    }

    @Test func aBusyLockIsSkippedWhenTheWorkNeedNotWait() async throws {
        let backplane = MemoryBackplane(clock: self.clock)
        _ = try await backplane.lock("sync:b", ttl: .seconds(15))
        let ran = try await LockedWork(backplane: backplane, ttl: .seconds(15), clock: self.clock).run("sync:b", wait: false) {
            Issue.record("ran while the lock was held elsewhere")
        }
        #expect(!ran)
    }

    @Test func workThatMustRunWaitsForTheLock() async throws {
        let backplane = MemoryBackplane(clock: self.clock)
        let held = try #require(try await backplane.lock("sync:c", ttl: .seconds(15)))
        let ran = Mutex(false)
        let waiting = Task {
            try await LockedWork(backplane: backplane, ttl: .seconds(15), clock: self.clock).run("sync:c", wait: true) {
                ran.withLock { $0 = true }
            }
        }
        try await SyncEngineFixtures.until("the work waits for the lock") { self.clock.sleepers > 0 }
        #expect(!ran.withLock { $0 })
        try await backplane.unlock(held)
        self.clock.advance(by: .seconds(1))
        #expect(try await waiting.value)
        #expect(ran.withLock { $0 })
    }
}
