/// A message of a linked account, with the fields Mailpulse indexes.
public struct Message: Sendable, Equatable, Codable {
    /// The owning local account.
    public var accountID: AccountID
    /// The provider's immutable message id.
    public var id: String
    /// The id of the folder that holds the message.
    public var mailboxID: String
    /// The RFC 5322 Message-ID.
    public var internetMessageID: String?
    /// The provider's conversation id.
    public var conversationID: String?
    /// The subject; empty when the message has none.
    public var subject: String
    /// The author.
    public var from: EmailAddress?
    /// The sender, when it differs from the author.
    public var sender: EmailAddress?
    /// The To recipients.
    public var toRecipients: [EmailAddress]
    /// The Cc recipients.
    public var ccRecipients: [EmailAddress]
    /// Milliseconds since 1970 when the message was received.
    public var receivedAt: Int64
    /// Milliseconds since 1970 when the message was sent.
    public var sentAt: Int64?
    /// Whether the user has read it.
    public var isRead: Bool
    /// Whether it is a draft.
    public var isDraft: Bool
    /// The follow-up flag.
    public var flag: FlagStatus
    /// The sender's importance.
    public var importance: Importance
    /// Whether it has file attachments.
    public var hasAttachments: Bool
    /// The first characters of the body, as text.
    public var bodyPreview: String
    /// The user's categories.
    public var categories: [String]
    /// The provider's version, which orders writes.
    public var version: MessageVersion

    /// The JSON names: Graph's spelling of the two ids (`internetMessageId`, `conversationId`), Swift's for the rest.
    enum CodingKeys: String, CodingKey {
        case accountID, id, mailboxID
        case internetMessageID = "internetMessageId"
        case conversationID = "conversationId"
        case subject, from, sender, toRecipients, ccRecipients, receivedAt, sentAt, isRead, isDraft, flag, importance, hasAttachments
        case bodyPreview, categories, version
    }

    /// Creates a message.
    public init(
        accountID: AccountID,
        id: String,
        mailboxID: String,
        internetMessageID: String? = nil,
        conversationID: String? = nil,
        subject: String,
        from: EmailAddress? = nil,
        sender: EmailAddress? = nil,
        toRecipients: [EmailAddress] = [],
        ccRecipients: [EmailAddress] = [],
        receivedAt: Int64,
        sentAt: Int64? = nil,
        isRead: Bool = false,
        isDraft: Bool = false,
        flag: FlagStatus = .notFlagged,
        importance: Importance = .normal,
        hasAttachments: Bool = false,
        bodyPreview: String = "",
        categories: [String] = [],
        version: MessageVersion
    ) {
        self.accountID = accountID
        self.id = id
        self.mailboxID = mailboxID
        self.internetMessageID = internetMessageID
        self.conversationID = conversationID
        self.subject = subject
        self.from = from
        self.sender = sender
        self.toRecipients = toRecipients
        self.ccRecipients = ccRecipients
        self.receivedAt = receivedAt
        self.sentAt = sentAt
        self.isRead = isRead
        self.isDraft = isDraft
        self.flag = flag
        self.importance = importance
        self.hasAttachments = hasAttachments
        self.bodyPreview = bodyPreview
        self.categories = categories
        self.version = version
    }
}
