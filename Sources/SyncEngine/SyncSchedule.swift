/// When the engine syncs accounts on its own, besides the syncs that linking and notifications ask for.
public struct SyncSchedule: Sendable, Equatable {
    /// Every linked account gets a delta round this often; zero turns the schedule off.
    public var syncInterval: Duration
    /// An account without change notifications (`degraded`) is polled this often; zero turns polling off.
    public var pollInterval: Duration
    /// At start-up, accounts not synced for longer than this are backfilled.
    public var backfillGap: Duration

    /// Creates a schedule.
    public init(syncInterval: Duration, pollInterval: Duration, backfillGap: Duration) {
        self.syncInterval = syncInterval
        self.pollInterval = pollInterval
        self.backfillGap = backfillGap
    }
}
