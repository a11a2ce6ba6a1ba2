/// Something that happened to an account's mirror, published for the pages that watch it.
///
/// Encoded as JSON with a `type` field (`message.upserted`, `message.deleted`, `mailbox.upserted`, `mailbox.deleted`,
/// `sync.progress`, `account.status`, `activity`); the publisher adds the account's sequence number `seq` and the time `at` (ms since 1970).
public enum AccountEvent: Sendable, Equatable {
    /// A message was stored (new, or a newer version).
    case messageUpserted(Message)
    /// A message was deleted.
    case messageDeleted(id: String)
    /// A folder was stored.
    case mailboxUpserted(Mailbox)
    /// A folder is gone from the provider, and from the mirror.
    case mailboxDeleted(id: String)
    /// A folder's sync advanced.
    case syncProgress(SyncProgress)
    /// The account's status changed.
    case accountStatus(AccountStatus)
    /// A line for the activity log: sync steps, notifications, throttling pauses, renewals, errors.
    case activity(String)

    /// The event's type name.
    public var type: String {
        switch self {
        case .messageUpserted: "message.upserted"
        case .messageDeleted: "message.deleted"
        case .mailboxUpserted: "mailbox.upserted"
        case .mailboxDeleted: "mailbox.deleted"
        case .syncProgress: "sync.progress"
        case .accountStatus: "account.status"
        case .activity: "activity"
        }
    }
}

extension AccountEvent: Encodable {
    private enum CodingKeys: String, CodingKey {
        case type, message, id, mailbox, progress, status, text
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.type, forKey: .type)
        switch self {
        case .messageUpserted(let message): try container.encode(message, forKey: .message)
        case .messageDeleted(let id): try container.encode(id, forKey: .id)
        case .mailboxUpserted(let mailbox): try container.encode(mailbox, forKey: .mailbox)
        case .mailboxDeleted(let id): try container.encode(id, forKey: .id)
        case .syncProgress(let progress): try container.encode(progress, forKey: .progress)
        case .accountStatus(let status): try container.encode(status, forKey: .status)
        case .activity(let text): try container.encode(text, forKey: .text)
        }
    }
}
