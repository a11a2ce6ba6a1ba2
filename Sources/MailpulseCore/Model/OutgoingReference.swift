/// The message an outgoing one answers or passes on, by its provider id in the same account.
public enum OutgoingReference: Sendable, Equatable {
    /// A reply: threaded with the original (same conversation, In-Reply-To and References).
    case reply(to: String)
    /// A forward: the original's attachments go with it.
    case forward(of: String)
}
