public import Foundation
internal import Synchronization

/// ``Backplane`` in one process's memory, on a clock the caller chooses (``ManualClock`` in tests): the same rules as
/// the Redis backplane's scripts, so the engine's coordination is testable without a server. One node only: its
/// state is not shared.
public final class MemoryBackplane<C: Clock>: Backplane where C.Duration == Duration {
    private struct Bucket {
        var tokens: Double
        var at: C.Instant
    }

    private struct Held {
        var holder: String
        var until: C.Instant
    }

    private struct State {
        var buckets: [String: Bucket] = [:]
        var leases: [String: [String: C.Instant]] = [:]
        var pauses: [String: C.Instant] = [:]
        var locks: [String: Held] = [:]
        var singleUse: [String: (value: String, until: C.Instant)] = [:]
        var claims: [String: (value: String, until: C.Instant)] = [:]
        var doorbells: [String: (first: C.Instant, due: C.Instant)] = [:]
        var members: [String: C.Instant] = [:]
    }

    private let clock: C
    private let state = Mutex(State())

    /// A backplane on `clock`.
    public init(clock: C) {
        self.clock = clock
    }

    public func checkHealth() async throws {}

    public func takeTokens(_ cost: Int, from bucket: String, limit: RateLimit) async throws -> RateDecision {
        precondition(cost > 0 && cost <= limit.capacity, "a bucket cannot grant more than its capacity at once")
        let now = self.clock.now
        return self.state.withLock { state in
            let capacity = Double(limit.capacity)
            let interval = limit.interval.timeInterval
            var current = state.buckets[bucket] ?? Bucket(tokens: capacity, at: now)
            current.tokens = min(capacity, current.tokens + max(0, current.at.duration(to: now).timeInterval) * capacity / interval)
            current.at = now
            defer { state.buckets[bucket] = current }
            guard current.tokens >= Double(cost) else {
                let wait = (Double(cost) - current.tokens) * interval / capacity
                return .retryAfter(.milliseconds(max(1, Int64((wait * 1000).rounded(.up)))))
            }
            current.tokens -= Double(cost)
            return .granted
        }
    }

    public func acquireLease(_ key: String, limit: Int, ttl: Duration) async throws -> Lease? {
        let now = self.clock.now
        let lease = Lease(key: key, holder: UUID().uuidString)
        return self.state.withLock { state in
            var holders = (state.leases[key] ?? [:]).filter { now < $0.value }
            guard holders.count < limit else {
                state.leases[key] = holders
                return nil
            }
            holders[lease.holder] = now.advanced(by: ttl)
            state.leases[key] = holders
            return lease
        }
    }

    public func releaseLease(_ lease: Lease) async throws {
        _ = self.state.withLock { $0.leases[lease.key]?.removeValue(forKey: lease.holder) }
    }

    public func pause(_ key: String, for duration: Duration) async throws {
        let until = self.clock.now.advanced(by: duration)
        self.state.withLock { state in
            if let current = state.pauses[key], until < current { return }
            state.pauses[key] = until
        }
    }

    public func remainingPause(_ key: String) async throws -> Duration? {
        let now = self.clock.now
        return self.state.withLock { state in
            guard let until = state.pauses[key], now < until else { return nil }
            return now.duration(to: until)
        }
    }

    public func lock(_ key: String, ttl: Duration) async throws -> LockGrant? {
        let now = self.clock.now
        let grant = LockGrant(key: key, holder: UUID().uuidString)
        return self.state.withLock { state in
            if let held = state.locks[key], now < held.until { return nil }
            state.locks[key] = Held(holder: grant.holder, until: now.advanced(by: ttl))
            return grant
        }
    }

    @discardableResult
    public func unlock(_ grant: LockGrant) async throws -> Bool {
        let now = self.clock.now
        return self.state.withLock { state in
            guard let held = state.locks[grant.key], held.holder == grant.holder, now < held.until else { return false }
            state.locks[grant.key] = nil
            return true
        }
    }

    public func extendLock(_ grant: LockGrant, ttl: Duration) async throws -> Bool {
        let now = self.clock.now
        return self.state.withLock { state in
            guard let held = state.locks[grant.key], held.holder == grant.holder, now < held.until else { return false }
            state.locks[grant.key]?.until = now.advanced(by: ttl)
            return true
        }
    }

    public func putSingleUse(_ key: String, value: String, ttl: Duration) async throws -> Bool {
        let now = self.clock.now
        return self.state.withLock { state in
            if let current = state.singleUse[key], now < current.until { return false }
            state.singleUse[key] = (value, now.advanced(by: ttl))
            return true
        }
    }

    public func takeSingleUse(_ key: String) async throws -> String? {
        let now = self.clock.now
        return self.state.withLock { state in
            guard let current = state.singleUse.removeValue(forKey: key), now < current.until else { return nil }
            return current.value
        }
    }

    public func claim(_ key: String, value: String, ttl: Duration) async throws -> String? {
        let now = self.clock.now
        return self.state.withLock { state in
            if let current = state.claims[key], now < current.until { return current.value }
            state.claims[key] = (value, now.advanced(by: ttl))
            return nil
        }
    }

    public func record(_ key: String, value: String, ttl: Duration) async throws {
        let now = self.clock.now
        self.state.withLock { $0.claims[key] = (value, now.advanced(by: ttl)) }
    }

    public func ringDoorbells(_ keys: [String], settle: Duration, patience: Duration) async throws {
        let now = self.clock.now
        self.state.withLock { state in
            for key in keys {
                let first = state.doorbells[key]?.first ?? now
                state.doorbells[key] = (first, min(now.advanced(by: settle), first.advanced(by: patience)))
            }
        }
    }

    public func answerDoorbells(limit: Int) async throws -> [String] {
        let now = self.clock.now
        return self.state.withLock { state in
            let due = state.doorbells.filter { $0.value.due <= now }.sorted { $0.value.due < $1.value.due }.prefix(limit).map(\.key)
            for key in due { state.doorbells[key] = nil }
            return due
        }
    }

    public func silenceDoorbells(startingWith prefixes: [String]) async throws {
        self.state.withLock { state in
            state.doorbells = state.doorbells.filter { name, _ in !prefixes.contains { name.hasPrefix($0) } }
        }
    }

    public func heartbeat(_ member: String, ttl: Duration) async throws -> [String] {
        let now = self.clock.now
        return self.state.withLock { state in
            state.members[member] = now.advanced(by: ttl)
            state.members = state.members.filter { $0.value > now }
            return state.members.keys.sorted()
        }
    }

    public func leave(_ member: String) async throws {
        self.state.withLock { _ = $0.members.removeValue(forKey: member) }
    }

    public func forget(_ names: [String]) async throws {
        self.state.withLock { state in
            for name in names {
                state.buckets[name] = nil
                state.leases[name] = nil
                state.pauses[name] = nil
                state.locks[name] = nil
                state.singleUse[name] = nil
                state.claims[name] = nil
            }
        }
    }
}
