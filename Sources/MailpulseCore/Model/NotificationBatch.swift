/// A webhook delivery as a provider's adapter read it: each notification's claim (subscription and secret) with what
/// it says happened, and how many items were not notifications the engine understands.
public struct NotificationBatch: Sendable, Equatable {
    /// One notification, before its claim is checked.
    public struct Item: Sendable, Equatable {
        /// The subscription it names and the secret it carries.
        public var claim: SubscriptionClaim
        /// What happened.
        public var kind: ChangeHint.Kind
        /// The message, for message changes.
        public var messageID: String?
        /// The message's change key as the notification saw it.
        public var changeKey: String?

        /// Creates an item.
        public init(claim: SubscriptionClaim, kind: ChangeHint.Kind, messageID: String? = nil, changeKey: String? = nil) {
            self.claim = claim
            self.kind = kind
            self.messageID = messageID
            self.changeKey = changeKey
        }
    }

    /// The notifications understood.
    public var items: [Item]
    /// Items left out: no subscription or secret, an unknown change type, a message change naming no message.
    public var malformed: Int

    /// Creates a batch.
    public init(items: [Item], malformed: Int) {
        self.items = items
        self.malformed = malformed
    }

    /// The hint an item becomes once its claim is found to be the account's.
    public static func hint(of item: Item, for account: AccountID) -> ChangeHint {
        ChangeHint(
            accountID: account,
            subscriptionID: item.claim.subscriptionID,
            kind: item.kind,
            messageID: item.kind.isMessageChange ? item.messageID : nil,
            changeKey: item.kind.isMessageChange ? item.changeKey : nil
        )
    }
}
