/// Faults the simulator injects, set through `PUT /sim/faults`.
public struct SimulatorFaults: Sendable, Equatable {
    /// Probability of dropping a change notification.
    public var dropNotifications = 0.0
    /// Probability of delivering a change notification twice.
    public var duplicateNotifications = 0.0
    /// Delay range of each notification, in milliseconds.
    public var notificationDelayMs: ClosedRange<Int> = 0...0
    /// Whether notifications of one change batch are shuffled.
    public var reorderNotifications = false
    /// Probability of answering a Graph request with 503.
    public var serverErrorRate = 0.0
    /// The share of admitted requests answered 429 with `Retry-After: 2` anyway, as Graph does when limits beyond the
    /// client's sight (the tenant's, other apps') are reached.
    public var throttleRate = 0.0
    /// Requests per 10 minutes per app and mailbox.
    public var requestsPer10Minutes = 10_000
    /// Concurrent requests per app and mailbox.
    public var concurrentRequests = 4
    /// Whether delta tokens issued before these faults were set answer 410 SyncStateNotFound (each time faults with
    /// it are set, every token issued until then expires; later ones work).
    public var expireDeltaTokens = false
    /// The longest subscription lifetime, in minutes.
    public var subscriptionMaxMinutes = 10_080

    /// No faults, Graph's documented limits.
    public init() {}
}
