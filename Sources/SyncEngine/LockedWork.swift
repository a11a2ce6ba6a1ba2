public import MailpulseCore

/// Work done under a backplane lock that is kept alive while the work runs. When the lock cannot be extended (the
/// backplane was unreachable for longer than the lock lives, or another holder took it after it lapsed), the work is
/// cancelled and ``LockLost`` is thrown: two holders never carry on side by side.
public struct LockedWork: Sendable {
    /// The lock could not be kept.
    public struct LockLost: Error, CustomStringConvertible {
        /// The lock's key.
        public let key: String

        public var description: String {
            "the lock \(self.key) was lost"
        }
    }

    private let backplane: any Backplane
    private let ttl: Duration
    private let clock: any Clock<Duration>

    /// Work under locks of `backplane` that live `ttl` without an extension (and are extended every third of that),
    /// timed by `clock`, the backplane's.
    public init(backplane: any Backplane, ttl: Duration, clock: any Clock<Duration> = ContinuousClock()) {
        self.backplane = backplane
        self.ttl = ttl
        self.clock = clock
    }

    /// Runs `body` holding the lock `key`; answers `false` when the lock is busy and `wait` is false.
    @discardableResult
    public func run(_ key: String, wait: Bool, _ body: @escaping @Sendable () async throws -> Void) async throws -> Bool {
        var grant = try await self.backplane.lock(key, ttl: self.ttl)
        while grant == nil, wait {
            try await self.clock.sleep(for: .milliseconds(Int.random(in: 250...750)))
            grant = try await self.backplane.lock(key, ttl: self.ttl)
        }
        guard let grant else { return false }
        let (backplane, ttl, clock) = (self.backplane, self.ttl, self.clock)
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    while true {
                        try await clock.sleep(for: ttl / 3)
                        guard try await backplane.extendLock(grant, ttl: ttl) else { throw LockLost(key: key) }
                    }
                }
                group.addTask { try await body() }
                // The first to end decides: the body's end (or failure), or the extender's failure, which stops the body.
                try await group.next()
                group.cancelAll()
            }
        } catch {
            _ = try? await backplane.unlock(grant)
            throw error
        }
        _ = try? await backplane.unlock(grant)
        return true
    }
}
