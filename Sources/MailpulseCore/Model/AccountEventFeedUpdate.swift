/// One update of the ``AccountEventFeed``.
public enum AccountEventFeedUpdate: Sendable, Equatable {
    /// The feed is (again) connected: events published while it was not are in the log.
    case subscribed
    /// An event of an account, as published (JSON text with its sequence number).
    case published(AccountID, String)
    /// The account was deleted: its sockets close.
    case accountDeleted(AccountID)

    /// The sequence number of a published event's text (`{"seq":12,…}` → 12), the one place that reads it.
    public static func sequence(of event: String) -> Int? {
        guard event.hasPrefix("{\"seq\":") else { return nil }
        return Int(event.dropFirst(7).prefix { $0.isNumber })
    }
}
