/// Where a local account stands in its life: linking, syncing, live, or in need of the user.
public enum AccountStatus: String, Sendable, Codable, CaseIterable {
    /// Created; the user has not finished signing in with the provider.
    case pending
    /// Signed in; the initial sync has not started.
    case linked
    /// The initial sync (or a full resync) is running.
    case syncing
    /// The mirror is complete and kept current by change notifications.
    case live
    /// The provider refused the refresh token: the user must link again.
    case reauthRequired = "reauth_required"
}
