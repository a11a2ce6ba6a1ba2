/// What a subscription delivers: confirmation that the channels are subscribed (again, after a reconnect), and messages.
public enum RedisSubscriptionEvent: Sendable, Equatable {
    /// The server confirmed the subscription to all channels; messages published from now on arrive.
    /// After a reconnect this comes again: messages published in between were missed.
    case subscribed
    /// A message published on a channel.
    case message(channel: String, payload: String)
}
