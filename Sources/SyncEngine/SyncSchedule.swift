public import MailpulseCore

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

    /// When in `window` (time since the schedule started) the account is next due, or `nil` when it is not: a round
    /// every sync interval for an account that is linked, and every poll interval for one without notifications
    /// (`degraded`), each at the account's own phase of the period (``WorkShare/View/phase(of:)``), so a round of
    /// every account is spread over its interval rather than a burst at the start.
    public func due(_ account: Account, in window: Range<Duration>) -> Duration? {
        let phase = WorkShare.View.phase(of: account.id)
        let full = [.linked, .syncing, .live, .degraded].contains(account.status) ? Self.next(self.syncInterval, phase, window) : nil
        let polled = account.status == .degraded ? Self.next(self.pollInterval, phase, window) : nil
        return [full, polled].compactMap { $0 }.min()
    }

    /// The first time in `window` that is `phase` of the way through a period, if any.
    private static func next(_ period: Duration, _ phase: Double, _ window: Range<Duration>) -> Duration? {
        guard period > .zero else { return nil }
        let length = period.timeInterval
        let offset = phase * length
        let time = ((window.lowerBound.timeInterval - offset) / length).rounded(.up) * length + offset
        let due = Duration.seconds(time)
        return window.contains(due) ? due : nil
    }
}
