/// The answer of a token bucket.
public enum RateDecision: Sendable, Equatable {
    /// The tokens were taken.
    case granted
    /// Not enough tokens: they will be there after this wait.
    case retryAfter(Duration)
}
