/// Something that tells the engine where to look: a message changed, a folder changed, or the account as a whole may
/// have (notifications were lost). A hint is not the truth; the workers read the provider to learn what is.
///
/// Hints come from push (a provider's adapter decodes webhooks, or a watcher turns IDLE into folder hints) and from the
/// engine itself. The queue coalesces waiting hints of one ``scope``.
public struct ChangeHint: Sendable, Equatable {
    /// What the hint says happened.
    public enum Kind: String, Sendable, CaseIterable {
        /// A message appeared.
        case created
        /// A message changed (read, flagged, moved, edited).
        case updated
        /// A message was deleted for good.
        case deleted
        /// Something changed in a folder: run its delta round.
        case folderChanged
        /// The provider could not deliver some notifications: every folder of the account needs a delta round.
        case missed
        /// The provider removed the webhook subscription: create a new one, then backfill.
        case subscriptionRemoved
        /// The provider wants the webhook subscription reauthorized, or it stops delivering.
        case reauthorizationRequired

        /// Whether the hint is about one message (as opposed to a folder, the account, or the push channel's life).
        public var isMessageChange: Bool {
            switch self {
            case .created, .updated, .deleted: true
            case .folderChanged, .missed, .subscriptionRemoved, .reauthorizationRequired: false
            }
        }
    }

    /// What a hint is about, the unit the queue coalesces.
    public enum Scope: Sendable, Hashable {
        /// One message.
        case message(String)
        /// One folder.
        case folder(String)
        /// The whole account (a backfill).
        case account
        /// The push channel's life (lifecycle events are rare and each is acted on).
        case push
    }

    /// The local account.
    public var accountID: AccountID
    /// The webhook subscription the hint came through, when it came through one.
    public var subscriptionID: String?
    /// What happened.
    public var kind: Kind
    /// The message's provider id, for message changes.
    public var messageID: String?
    /// The folder's provider id, for folder changes.
    public var mailboxID: String?
    /// The message's change key as the notification saw it (Graph's etag), when it carries one.
    public var changeKey: String?

    /// Creates a hint.
    public init(
        accountID: AccountID,
        subscriptionID: String? = nil,
        kind: Kind,
        messageID: String? = nil,
        mailboxID: String? = nil,
        changeKey: String? = nil
    ) {
        self.accountID = accountID
        self.subscriptionID = subscriptionID
        self.kind = kind
        self.messageID = messageID
        self.mailboxID = mailboxID
        self.changeKey = changeKey
    }

    /// A folder's doorbell: run its delta round.
    public static func folder(_ mailboxID: String, of account: AccountID) -> ChangeHint {
        ChangeHint(accountID: account, kind: .folderChanged, mailboxID: mailboxID)
    }

    /// What the hint is about; a message or folder hint that names none is about the account.
    public var scope: Scope {
        switch self.kind {
        case .created, .updated, .deleted: self.messageID.map(Scope.message) ?? .account
        case .folderChanged: self.mailboxID.map(Scope.folder) ?? .account
        case .missed: .account
        case .subscriptionRemoved, .reauthorizationRequired: .push
        }
    }

    /// The key under which waiting hints of one scope are coalesced (`nil`: each is queued): the one spelling, used by
    /// every queue.
    public var coalescingKey: String? {
        switch self.scope {
        case .message(let id): "\(self.accountID):\(id)"
        case .folder(let id): "folder:\(self.accountID):\(id)"
        case .account: "account:\(self.accountID)"
        case .push: nil
        }
    }

    /// This hint with a later one of the same scope joined in: a deletion wins (whatever came first, the message
    /// is gone or must be looked up), and the change key is kept only when both agree, since arrival order says
    /// nothing about which change is newer. The one rule of merging; the queue's Lua script mirrors it.
    public func joining(_ later: ChangeHint) -> ChangeHint {
        var merged = self
        if later.kind == .deleted { merged.kind = .deleted }
        if later.changeKey != self.changeKey { merged.changeKey = nil }
        return merged
    }
}
