/// What the nodes of a deployment share to stay within the provider's limits and to act once: rate limits,
/// concurrency leases, pauses, locks, single-use keys, doorbells, and who the live nodes are.
///
/// Keys are logical names (`mailbox:<id>`); an implementation adds its own namespace.
public protocol Backplane: Sendable {
    /// Answers when the backplane is reachable; throws otherwise.
    func checkHealth() async throws

    /// Takes `cost` tokens from a bucket, atomically across nodes, or says how long until they are there.
    func takeTokens(_ cost: Int, from bucket: String, limit: RateLimit) async throws -> RateDecision
    /// Takes one of `limit` concurrent slots for `ttl` (a holder that dies frees its slot when the ttl ends); `nil` when all are taken.
    func acquireLease(_ key: String, limit: Int, ttl: Duration) async throws -> Lease?
    /// Frees a slot taken by ``acquireLease(_:limit:ttl:)``.
    func releaseLease(_ lease: Lease) async throws

    /// Pauses a key until `duration` from now; an existing longer pause is kept.
    func pause(_ key: String, for duration: Duration) async throws
    /// How long the key stays paused; `nil` when it is not paused.
    func remainingPause(_ key: String) async throws -> Duration?

    /// Takes an exclusive lock for `ttl`; `nil` when another holder has it.
    func lock(_ key: String, ttl: Duration) async throws -> LockGrant?
    /// Frees a lock if the grant still holds it; answers whether it did.
    @discardableResult
    func unlock(_ grant: LockGrant) async throws -> Bool

    /// Extends a held lock to `ttl` from now; answers `false` when the grant no longer holds it.
    func extendLock(_ grant: LockGrant, ttl: Duration) async throws -> Bool
    /// Stores a value that can be taken once, for `ttl`; answers `false` when the key exists.
    func putSingleUse(_ key: String, value: String, ttl: Duration) async throws -> Bool
    /// Takes a single-use value: the first call gets it, every later call and any call after the ttl gets `nil`.
    func takeSingleUse(_ key: String) async throws -> String?

    /// Stores `value` under `key` for `ttl` unless the key holds one already; answers the value it holds, or `nil` when
    /// this call stored it. One caller of many on any node gets `nil`: a request retried with the same idempotency key
    /// learns what the first one did.
    func claim(_ key: String, value: String, ttl: Duration) async throws -> String?
    /// Sets the value a ``claim(_:value:ttl:)`` stored, for `ttl` from now.
    func record(_ key: String, value: String, ttl: Duration) async throws

    /// Rings doorbells: each becomes due `settle` after its last ring (a burst rings once, after it settles), but no
    /// later than `patience` after its first ring since it was last answered (a steady stream cannot put it off).
    func ringDoorbells(_ keys: [String], settle: Duration, patience: Duration) async throws
    /// Answers up to `limit` doorbells that are due: each is handed to one caller on one node, and cleared.
    func answerDoorbells(limit: Int) async throws -> [String]
    /// Clears, unanswered, every doorbell whose name starts with one of `prefixes` (an account that is deleted).
    func silenceDoorbells(startingWith prefixes: [String]) async throws

    /// Says that node `member` is alive for `ttl` more, and answers every node alive now, itself included, sorted:
    /// the nodes that share the periodic work.
    func heartbeat(_ member: String, ttl: Duration) async throws -> [String]
    /// Withdraws a node at once (it is stopping), so the others take its share at their next heartbeat.
    func leave(_ member: String) async throws

    /// Removes whatever the backplane keeps under these logical names (buckets, leases, pauses, locks, single-use
    /// values, claims): for an account that is deleted, or a claim whose work failed.
    func forget(_ names: [String]) async throws
}
