/// Where a local account stands in its life: linking, syncing, live, or in need of the user.
public enum AccountStatus: String, Sendable, Codable, CaseIterable {
    /// Created; the user has not finished signing in with the provider.
    case pending
    /// Signed in; the initial sync has not started.
    case linked
    /// The initial sync (or a full resync) is running.
    case syncing
    /// The mirror is complete and kept current by the provider's push (``Account/isPushed``).
    case live
    /// The mirror is complete but kept current by polling: push could not be set up (for webhooks: no reachable
    /// public URL, or the provider's validation failed). Never a dead end: renewal sets push up again when it can.
    case degraded
    /// The provider refused the refresh token: the user must link again.
    case reauthRequired = "reauth_required"
}
