internal import Synchronization

/// ``AccountEventPublisher`` in one process's memory: every account's events in order, each with the account's next
/// sequence number, for tests to read back.
public final class MemoryEventLog: AccountEventPublisher {
    private let logs = Mutex<[AccountID: [AccountEvent]]>([:])

    /// An empty log.
    public init() {}

    public func publish(_ events: [AccountEvent], for account: AccountID) async {
        self.logs.withLock { $0[account, default: []] += events }
    }

    /// The account's events, oldest first; an event's sequence number is its position plus one.
    public func events(of account: AccountID) -> [AccountEvent] {
        self.logs.withLock { $0[account] ?? [] }
    }
}
