internal import Foundation
public import MailpulseCore
public import Redis

/// ``Backplane`` on Redis: every key lives under `prefix`, every decision is one atomic script or command.
public struct RedisBackplane: Backplane {
    private let client: any RedisClientProtocol
    private let prefix: String

    /// Creates a backplane on a client; `prefix` namespaces every key (for example `mailpulse:`).
    public init(client: any RedisClientProtocol, prefix: String) {
        self.client = client
        self.prefix = prefix
    }

    public func checkHealth() async throws {
        try await self.client.ping()
    }

    public func takeTokens(_ cost: Int, from bucket: String, limit: RateLimit) async throws -> RateDecision {
        precondition(cost > 0 && cost <= limit.capacity, "a bucket cannot grant more than its capacity at once")
        let reply = try await self.client.evaluate(
            BackplaneScripts.takeTokens,
            keys: [self.key("bucket", bucket)],
            arguments: [RedisArgument(limit.capacity), RedisArgument(limit.interval.milliseconds), RedisArgument(cost)]
        )
        guard let parts = reply.array, parts.count == 2, let granted = parts[0].integer, let wait = parts[1].integer else {
            throw RedisError.unexpectedReply("token bucket answered \(reply)")
        }
        return granted == 1 ? .granted : .retryAfter(.milliseconds(max(1, wait)))
    }

    public func acquireLease(_ key: String, limit: Int, ttl: Duration) async throws -> Lease? {
        let lease = Lease(key: key, holder: UUID().uuidString)
        let reply = try await self.client.evaluate(
            BackplaneScripts.acquireLease,
            keys: [self.key("lease", key)],
            arguments: [RedisArgument(limit), RedisArgument(ttl.milliseconds), RedisArgument(lease.holder)]
        )
        return reply.integer == 1 ? lease : nil
    }

    public func releaseLease(_ lease: Lease) async throws {
        try await self.client.send(["ZREM", RedisArgument(self.key("lease", lease.key)), RedisArgument(lease.holder)])
    }

    public func pause(_ key: String, for duration: Duration) async throws {
        _ = try await self.client.evaluate(
            BackplaneScripts.pause,
            keys: [self.key("pause", key)],
            arguments: [RedisArgument(duration.milliseconds)]
        )
    }

    public func remainingPause(_ key: String) async throws -> Duration? {
        try await self.client.pttl(self.key("pause", key))
    }

    public func lock(_ key: String, ttl: Duration) async throws -> LockGrant? {
        let holder = UUID().uuidString
        let reply = try await self.client.evaluate(
            BackplaneScripts.lock,
            keys: [self.key("lock", key)],
            arguments: [RedisArgument(holder), RedisArgument(ttl.milliseconds)]
        )
        return reply.integer == 1 ? LockGrant(key: key, holder: holder) : nil
    }

    @discardableResult
    public func unlock(_ grant: LockGrant) async throws -> Bool {
        let reply = try await self.client.evaluate(
            BackplaneScripts.unlock,
            keys: [self.key("lock", grant.key)],
            arguments: [RedisArgument(grant.holder)]
        )
        return reply.integer == 1
    }

    public func extendLock(_ grant: LockGrant, ttl: Duration) async throws -> Bool {
        let reply = try await self.client.evaluate(
            BackplaneScripts.extendLock,
            keys: [self.key("lock", grant.key)],
            arguments: [RedisArgument(grant.holder), RedisArgument(ttl.milliseconds)]
        )
        return reply.integer == 1
    }

    public func putSingleUse(_ key: String, value: String, ttl: Duration) async throws -> Bool {
        try await self.client.set(self.key("once", key), to: value, onlyIfAbsent: true, expiry: ttl)
    }

    public func takeSingleUse(_ key: String) async throws -> String? {
        try await self.client.getdel(self.key("once", key))
    }

    public func claim(_ key: String, value: String, ttl: Duration) async throws -> String? {
        let reply = try await self.client.evaluate(
            BackplaneScripts.claim,
            keys: [self.key("claim", key)],
            arguments: [RedisArgument(value), RedisArgument(ttl.milliseconds)]
        )
        return reply.string
    }

    public func record(_ key: String, value: String, ttl: Duration) async throws {
        _ = try await self.client.set(self.key("claim", key), to: value, expiry: ttl)
    }

    public func ringDoorbells(_ keys: [String], settle: Duration, patience: Duration) async throws {
        guard !keys.isEmpty else { return }
        _ = try await self.client.evaluate(
            BackplaneScripts.ringDoorbells,
            keys: [self.key("doorbells", "due"), self.key("doorbells", "first")],
            arguments: [RedisArgument(settle.milliseconds), RedisArgument(patience.milliseconds)] + keys.map { RedisArgument($0) }
        )
    }

    public func answerDoorbells(limit: Int) async throws -> [String] {
        let reply = try await self.client.evaluate(
            BackplaneScripts.answerDoorbells,
            keys: [self.key("doorbells", "due"), self.key("doorbells", "first")],
            arguments: [RedisArgument(limit)]
        )
        guard let due = reply.array?.compactMap(\.string) else { throw RedisError.unexpectedReply("doorbells answered \(reply)") }
        return due
    }

    public func silenceDoorbells(startingWith prefixes: [String]) async throws {
        guard !prefixes.isEmpty else { return }
        _ = try await self.client.evaluate(
            BackplaneScripts.silenceDoorbells,
            keys: [self.key("doorbells", "due"), self.key("doorbells", "first")],
            arguments: prefixes.map { RedisArgument($0) }
        )
    }

    public func heartbeat(_ member: String, ttl: Duration) async throws -> [String] {
        let reply = try await self.client.evaluate(
            BackplaneScripts.heartbeat,
            keys: [self.key("members", "nodes")],
            arguments: [RedisArgument(member), RedisArgument(ttl.milliseconds)]
        )
        guard let members = reply.array?.compactMap(\.string) else { throw RedisError.unexpectedReply("heartbeat answered \(reply)") }
        return members
    }

    public func leave(_ member: String) async throws {
        _ = try await self.client.send(["ZREM", RedisArgument(self.key("members", "nodes")), RedisArgument(member)])
    }

    public func forget(_ names: [String]) async throws {
        guard !names.isEmpty else { return }
        let keys = names.flatMap { name in ["bucket", "lease", "pause", "lock", "once", "claim"].map { self.key($0, name) } }
        _ = try await self.client.execute(DEL(keys))
    }

    private func key(_ kind: String, _ name: String) -> String {
        "\(self.prefix)\(kind):\(name)"
    }
}
