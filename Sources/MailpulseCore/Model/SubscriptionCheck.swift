/// What the ``SubscriptionDirectory`` says about a notification's subscription and secret.
public enum SubscriptionCheck: Sendable, Equatable {
    /// The subscription is known and the secret matches: the notification belongs to this account.
    case valid(AccountID)
    /// No such subscription (never ours, or removed).
    case unknown
    /// The subscription is known but the secret does not match: a forged or stale notification.
    case clientStateMismatch
}
