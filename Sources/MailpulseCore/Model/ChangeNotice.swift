/// One change notification, checked and reduced to what the workers act on.
public struct ChangeNotice: Sendable, Equatable {
    /// What the provider says happened.
    public enum Kind: String, Sendable, CaseIterable {
        /// A message appeared.
        case created
        /// A message changed (read, flagged, moved, edited).
        case updated
        /// A message was deleted for good.
        case deleted
        /// The provider could not deliver some notifications: the account needs a backfill.
        case missed
        /// The provider removed the subscription: create a new one, then backfill.
        case subscriptionRemoved
        /// The provider wants the subscription reauthorized, or it stops delivering.
        case reauthorizationRequired

        /// Whether the notice is about one message (as opposed to the subscription's life).
        public var isMessageChange: Bool {
            switch self {
            case .created, .updated, .deleted: true
            case .missed, .subscriptionRemoved, .reauthorizationRequired: false
            }
        }
    }

    /// The local account the subscription belongs to.
    public var accountID: AccountID
    /// The provider's subscription id.
    public var subscriptionID: String
    /// What happened.
    public var kind: Kind
    /// The message's provider id, for message changes.
    public var messageID: String?
    /// The message's change key as the notification saw it (Graph's etag), when it carries one.
    public var changeKey: String?

    /// Creates a notice.
    public init(accountID: AccountID, subscriptionID: String, kind: Kind, messageID: String? = nil, changeKey: String? = nil) {
        self.accountID = accountID
        self.subscriptionID = subscriptionID
        self.kind = kind
        self.messageID = messageID
        self.changeKey = changeKey
    }

    /// This notice with a later one for the same message joined in: a deletion wins (whatever came first, the message
    /// is gone or must be looked up), and the change key is kept only when both agree, since arrival order says
    /// nothing about which change is newer. The one rule of merging; the queue's Lua script mirrors it.
    public func joining(_ later: ChangeNotice) -> ChangeNotice {
        var merged = self
        if later.kind == .deleted { merged.kind = .deleted }
        if later.changeKey != self.changeKey { merged.changeKey = nil }
        return merged
    }
}
