public import MailpulseCore

/// How often and how patiently to retry a call that failed in a way that may pass: exponential backoff with
/// full jitter, so that many callers that failed together do not retry together.
public struct RetryPolicy: Sendable, Equatable {
    /// Calls in all, the first one included.
    public var attempts: Int
    /// The wait before the second call, before jitter.
    public var initialDelay: Duration
    /// The longest wait between calls.
    public var maximumDelay: Duration

    /// Creates a policy.
    public init(attempts: Int = 6, initialDelay: Duration = .milliseconds(200), maximumDelay: Duration = .seconds(10)) {
        precondition(attempts >= 1, "a retry policy makes at least one call")
        self.attempts = attempts
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
    }

    /// The wait after failed call number `attempt` (1-based): a random time up to `initialDelay × 2^(attempt-1)`,
    /// capped at `maximumDelay`.
    public func delay(after attempt: Int) -> Duration {
        let ceiling = min(self.maximumDelay, self.initialDelay * (1 << min(attempt - 1, 20)))
        return ceiling * Double.random(in: 0.5...1)
    }
}
