internal import Foundation
internal import MailpulseCore

/// A message (or its tombstone) as a document of the messages index.
struct MessageDocument: Codable, Equatable {
    var accountId: String
    var id: String
    var mailboxId: String?
    var internetMessageId: String?
    var conversationId: String?
    var subject: String?
    var from: EmailAddress?
    var sender: EmailAddress?
    var toRecipients: [EmailAddress]?
    var ccRecipients: [EmailAddress]?
    var receivedAt: Int64?
    var sentAt: Int64?
    var isRead: Bool?
    var isDraft: Bool?
    var flag: String?
    var importance: String?
    var hasAttachments: Bool?
    var bodyPreview: String?
    var categories: [String]?
    var modifiedAt: Int64?
    var changeKey: String?
    var deleted: Bool
    /// The sequence of the version deleted (the field's name predates versions without clocks).
    var deletedAt: Int64?

    /// The document id: `accountId:providerId`, unique across accounts in the one shared index.
    static func documentID(_ account: AccountID, _ message: String) -> String {
        "\(account):\(message)"
    }

    /// The external version that orders writes of one message, so Elasticsearch itself refuses stale ones.
    ///
    /// A live sequence `m` is `2m` and the deletion of sequence `d` is `2d + 1`. Upserts are sent `external` (above
    /// the stored version; an equal one is then read back to tell the same version from a tie), deletions
    /// `external_gte`: a deletion wins over the version it deleted (`2d + 1 > 2m` when `d ≥ m`), and only a strictly
    /// newer sequence brings a deleted message back (`2m > 2d + 1` when `m > d`) — the same guard as the SQLite store's.
    static func version(modifiedAt: Int64) -> Int64 {
        2 * Self.clamped(modifiedAt)
    }

    /// See ``version(modifiedAt:)``.
    static func version(deletedAt: Int64) -> Int64 {
        2 * Self.clamped(deletedAt) + 1
    }

    /// Times beyond year 146,000,000 are taken as that year, so the doubled version stays a valid long.
    private static func clamped(_ milliseconds: Int64) -> Int64 {
        min(max(milliseconds, 0), Int64.max / 2 - 1)
    }

    init(_ message: Message) {
        self.accountId = message.accountID.description
        self.id = message.id
        self.mailboxId = message.mailboxID
        self.internetMessageId = message.internetMessageID
        self.conversationId = message.conversationID
        self.subject = message.subject
        self.from = message.from
        self.sender = message.sender
        self.toRecipients = message.toRecipients
        self.ccRecipients = message.ccRecipients
        self.receivedAt = message.receivedAt
        self.sentAt = message.sentAt
        self.isRead = message.isRead
        self.isDraft = message.isDraft
        self.flag = message.flag.rawValue
        self.importance = message.importance.rawValue
        self.hasAttachments = message.hasAttachments
        self.bodyPreview = message.bodyPreview
        self.categories = message.categories
        self.modifiedAt = message.version.sequence
        self.changeKey = message.version.changeKey
        self.deleted = false
    }

    /// A tombstone: the id and the time of the deletion, nothing of the message.
    init(_ deletion: MessageDeletion) {
        self.accountId = deletion.accountID.description
        self.id = deletion.messageID
        self.deleted = true
        self.deletedAt = deletion.version
    }

    /// The message, or `nil` for a tombstone or a document missing a field a message needs.
    func message() -> Message? {
        guard !self.deleted, let account = AccountID(self.accountId), let mailboxId = self.mailboxId, let receivedAt = self.receivedAt,
            let modifiedAt = self.modifiedAt
        else { return nil }
        return Message(
            accountID: account,
            id: self.id,
            mailboxID: mailboxId,
            internetMessageID: self.internetMessageId,
            conversationID: self.conversationId,
            subject: self.subject ?? "",
            from: self.from,
            sender: self.sender,
            toRecipients: self.toRecipients ?? [],
            ccRecipients: self.ccRecipients ?? [],
            receivedAt: receivedAt,
            sentAt: self.sentAt,
            isRead: self.isRead ?? false,
            isDraft: self.isDraft ?? false,
            flag: self.flag.flatMap(FlagStatus.init(rawValue:)) ?? .notFlagged,
            importance: self.importance.flatMap(Importance.init(rawValue:)) ?? .normal,
            hasAttachments: self.hasAttachments ?? false,
            bodyPreview: self.bodyPreview ?? "",
            categories: self.categories ?? [],
            version: MessageVersion(sequence: modifiedAt, changeKey: self.changeKey ?? "")
        )
    }
}
