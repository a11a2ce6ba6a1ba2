import MailpulseCore
import SyncEngine
import Synchronization
import Testing

/// The clock the engine's time rules are tested on.
@Suite struct ManualClockTests {
    @Test func aSleeperWakesOnlyWhenTheClockPassesItsDeadline() async throws {
        let clock = ManualClock()
        let woke = Mutex(false)
        let sleeper = Task {
            try await clock.sleep(for: .seconds(10))
            woke.withLock { $0 = true }
        }
        // The sleeper's deadline counts from when it falls asleep.
        try await SyncEngineFixtures.until("the task falls asleep") { clock.sleepers > 0 }
        clock.advance(by: .seconds(9))
        #expect(!woke.withLock { $0 })
        clock.advance(by: .seconds(1))
        try await sleeper.value
        #expect(woke.withLock { $0 })
        #expect(clock.sleepers == 0)
    }

    @Test func aCancelledSleeperStopsWithoutTheClockMoving() async throws {
        let clock = ManualClock()
        let sleeper = Task { try await clock.sleep(for: .seconds(3600)) }
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.now.offset == .zero)
    }
}
