public import Synchronization

/// A clock that moves only when told (``advance(by:)``): the engine's time rules (buckets refilling, leases and locks
/// expiring, pauses ending) run in tests without waiting for them.
public final class ManualClock: Clock, Sendable {
    /// A point on the clock: how far it has been advanced.
    public struct Instant: InstantProtocol, Sendable {
        /// Time since the clock was made.
        public var offset: Duration

        public func advanced(by duration: Duration) -> Instant {
            Instant(offset: self.offset + duration)
        }

        public func duration(to other: Instant) -> Duration {
            other.offset - self.offset
        }

        public static func < (lhs: Instant, rhs: Instant) -> Bool {
            lhs.offset < rhs.offset
        }
    }

    private struct Sleeper {
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var sleepers: [UInt64: Sleeper] = [:]
        var nextSleeper: UInt64 = 0
    }

    private let state = Mutex(State())

    /// A clock at zero.
    public init() {}

    public var now: Instant {
        self.state.withLock { $0.now }
    }

    public var minimumResolution: Duration { .zero }

    /// How many tasks sleep on the clock now: a test waits for its sleepers before it moves the clock.
    public var sleepers: Int {
        self.state.withLock { $0.sleepers.count }
    }

    /// When the sleepers wake, soonest first: a test with several sleepers waits for the one it means to wake.
    public var deadlines: [Instant] {
        self.state.withLock { $0.sleepers.values.map(\.deadline).sorted() }
    }

    /// Moves the clock on, waking every sleeper whose deadline has come.
    public func advance(by duration: Duration) {
        let woken = self.state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            state.now = state.now.advanced(by: duration)
            let due = state.sleepers.filter { $0.value.deadline <= state.now }
            for id in due.keys { state.sleepers[id] = nil }
            return due.values.map(\.continuation)
        }
        for continuation in woken { continuation.resume() }
    }

    public func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        let id = self.state.withLock { state in
            state.nextSleeper += 1
            return state.nextSleeper
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let ready = self.state.withLock { state -> Bool in
                    if deadline <= state.now || Task.isCancelled { return true }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            let cancelled = self.state.withLock { $0.sleepers.removeValue(forKey: id) }
            cancelled?.continuation.resume(throwing: CancellationError())
        }
        try Task.checkCancellation()
    }
}
