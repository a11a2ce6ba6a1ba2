internal import Synchronization

/// ``ChangeQueue`` in one process's memory, with the Redis queue's rules: a hint waits once per scope (later ones
/// join it, ``ChangeHint/joining(_:)``), an entry received and not acknowledged for `idle` can be claimed by another
/// consumer, and a dead-lettered entry is set aside. ``receive(consumer:limit:wait:)`` answers at once: in one
/// process there is nobody to wait for.
public final class MemoryChangeQueue<C: Clock>: ChangeQueue where C.Duration == Duration {
    private struct Entry {
        var id: String
        var hint: ChangeHint
        var consumer: String?
        var deliveredAt: C.Instant?
    }

    private struct State {
        var entries: [Entry] = []
        var waiting: [String: ChangeHint] = [:]
        var deadLetters: [(QueuedChange, String)] = []
        var nextID = 0
    }

    private let clock: C
    private let state = Mutex(State())

    /// A queue on `clock`.
    public init(clock: C) {
        self.clock = clock
    }

    public func length() async throws -> Int {
        self.state.withLock { $0.entries.count }
    }

    public func deadLetterCount() async throws -> Int {
        self.state.withLock { $0.deadLetters.count }
    }

    /// The entries set aside, with their reasons.
    public var deadLetters: [(change: QueuedChange, reason: String)] { self.state.withLock { $0.deadLetters } }

    public func enqueue(groups: [[ChangeHint]]) async throws -> [Int] {
        self.state.withLock { state in
            groups.map { hints in
                var added = 0
                for hint in hints {
                    if let key = hint.coalescingKey {
                        if let waiting = state.waiting[key] {
                            state.waiting[key] = waiting.joining(hint)
                            continue
                        }
                        state.waiting[key] = hint
                    }
                    state.nextID += 1
                    state.entries.append(Entry(id: "\(state.nextID)", hint: hint))
                    added += 1
                }
                return added
            }
        }
    }

    public func receive(consumer: String, limit: Int, wait: Duration) async throws -> [QueuedChange] {
        let now = self.clock.now
        return self.state.withLock { state in
            var received: [QueuedChange] = []
            for index in state.entries.indices where state.entries[index].consumer == nil && received.count < limit {
                state.entries[index].consumer = consumer
                state.entries[index].deliveredAt = now
                received.append(QueuedChange(entryID: state.entries[index].id, hint: state.entries[index].hint))
            }
            return received
        }
    }

    public func claimAbandoned(consumer: String, idle: Duration, limit: Int) async throws -> [QueuedChange] {
        let now = self.clock.now
        return self.state.withLock { state in
            var claimed: [QueuedChange] = []
            for index in state.entries.indices where claimed.count < limit {
                guard let deliveredAt = state.entries[index].deliveredAt, state.entries[index].consumer != consumer,
                    deliveredAt.advanced(by: idle) <= now
                else { continue }
                state.entries[index].consumer = consumer
                state.entries[index].deliveredAt = now
                claimed.append(QueuedChange(entryID: state.entries[index].id, hint: state.entries[index].hint))
            }
            return claimed
        }
    }

    public func begin(_ hint: ChangeHint) async throws -> ChangeHint {
        guard let key = hint.coalescingKey, let waited = self.state.withLock({ $0.waiting.removeValue(forKey: key) }) else {
            return hint
        }
        return hint.joining(waited)
    }

    public func acknowledge(_ changes: [QueuedChange]) async throws {
        let done = Set(changes.map(\.entryID))
        self.state.withLock { $0.entries.removeAll { done.contains($0.id) } }
    }

    public func deadLetter(_ change: QueuedChange, reason: String) async throws {
        self.state.withLock { $0.deadLetters.append((change, reason)) }
        try await self.acknowledge([change])
    }
}
