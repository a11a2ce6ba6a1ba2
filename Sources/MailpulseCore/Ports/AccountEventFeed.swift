/// Every account's events as they are published, as one node hears them: what its live-event hub fans out to the
/// sockets watching each account.
public protocol AccountEventFeed: Sendable {
    /// The feed from now on; `.subscribed` comes first and again after every reconnection (whatever was published in
    /// between is in the log). Ends when the task iterating it is cancelled.
    func updates() -> AsyncStream<AccountEventFeedUpdate>
}
