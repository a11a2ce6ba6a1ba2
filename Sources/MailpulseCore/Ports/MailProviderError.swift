/// What a ``MailProvider`` reports that callers act on.
public enum MailProviderError: Error, Equatable, CustomStringConvertible {
    /// The grant is dead (revoked, expired, spent): the user must sign in again.
    case reauthRequired(String)
    /// The access token was refused: refresh once and retry.
    case unauthorized(String)
    /// The provider refused or failed the request.
    case failed(String)
    /// The provider failed in a way that may pass (5xx, network): retry with backoff.
    case unavailable(String)
    /// The item does not exist (deleted, or never there).
    case notFound
    /// The sync cursor is no longer known (Graph's 410 SyncStateNotFound): sync the folder again from the start.
    case cursorExpired
    /// The provider throttles this mailbox: send nothing for `retryAfter`.
    case throttled(retryAfter: Duration)
    /// The provider refused what was asked for a reason the person can act on (a recipient, a size): not retried.
    case refused(String)
    /// The item is larger than the caller's limit: nothing of it was kept.
    case tooLarge(String)
    /// The account's grant lacks a permission (a scope) the request needs: the person must link it again.
    case permissionMissing(String)

    /// A short word for metrics and logs: `reauth_required`, `unauthorized`, `failed`, `unavailable`, `not_found`,
    /// `cursor_expired`, `throttled`, `refused`, `too_large` or `permission_missing`.
    public var outcome: String {
        switch self {
        case .reauthRequired: "reauth_required"
        case .unauthorized: "unauthorized"
        case .failed: "failed"
        case .unavailable: "unavailable"
        case .notFound: "not_found"
        case .cursorExpired: "cursor_expired"
        case .throttled: "throttled"
        case .refused: "refused"
        case .tooLarge: "too_large"
        case .permissionMissing: "permission_missing"
        }
    }

    public var description: String {
        switch self {
        case .reauthRequired(let message): "re-authentication required: \(message)"
        case .unauthorized(let message): "unauthorized: \(message)"
        case .failed(let message): "provider failure: \(message)"
        case .unavailable(let message): "provider unavailable: \(message)"
        case .notFound: "not found"
        case .cursorExpired: "sync cursor expired"
        case .throttled(let retryAfter): "throttled for \(retryAfter)"
        case .refused(let message): "refused: \(message)"
        case .tooLarge(let message): "too large: \(message)"
        case .permissionMissing(let message): "permission missing: \(message)"
        }
    }
}
