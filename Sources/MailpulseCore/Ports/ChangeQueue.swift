/// The durable queue between the webhook intake and the workers, shared by every node.
///
/// Message hints are coalesced: while a hint for a message waits, further hints for it are not queued (a
/// deletion upgrades the waiting one). A worker calls ``begin(_:)`` before it fetches, so that hints arriving
/// from then on are queued again and no change is lost.
public protocol ChangeQueue: Sendable {
    /// Queues the hints of several deliveries in one step; answers, for each delivery, how many entries were added
    /// (the rest joined a waiting one).
    func enqueue(groups: [[ChangeHint]]) async throws -> [Int]
    /// Up to `limit` new entries for this consumer, waiting at most `wait` for the first.
    func receive(consumer: String, limit: Int, wait: Duration) async throws -> [QueuedChange]
    /// Takes over entries another consumer received and did not acknowledge for `idle` (a dead worker's).
    func claimAbandoned(consumer: String, idle: Duration, limit: Int) async throws -> [QueuedChange]
    /// Starts work on a message: answers the hint merged from every one queued for it since the last begin (a
    /// deletion wins; the change key is kept only when all agree), or `hint` itself when none waits.
    func begin(_ hint: ChangeHint) async throws -> ChangeHint
    /// Marks entries done.
    func acknowledge(_ changes: [QueuedChange]) async throws
    /// Moves an entry that keeps failing aside for people to look at, and marks it done.
    func deadLetter(_ change: QueuedChange, reason: String) async throws
    /// How many entries wait (received or not, not yet acknowledged): the backlog every node shares.
    func length() async throws -> Int
    /// How many entries were set aside so far.
    func deadLetterCount() async throws -> Int
}

extension ChangeQueue {
    /// Queues hints; answers how many entries were added (the rest joined a waiting one).
    @discardableResult
    public func enqueue(_ hints: [ChangeHint]) async throws -> Int {
        try await self.enqueue(groups: [hints])[0]
    }
}
