/// A message a person sends from a linked account: a new one, a reply or a forward.
public struct OutgoingMessage: Sendable, Equatable {
    /// The To recipients.
    public var toRecipients: [EmailAddress]
    /// The Cc recipients.
    public var ccRecipients: [EmailAddress]
    /// The Bcc recipients: they receive it, nobody sees them.
    public var bccRecipients: [EmailAddress]
    /// The subject.
    public var subject: String
    /// The body.
    public var body: MessageBody
    /// The files sent with it.
    public var attachments: [AttachmentData]
    /// What it answers or passes on, if anything.
    public var reference: OutgoingReference?

    /// Creates a message to send.
    public init(
        toRecipients: [EmailAddress],
        ccRecipients: [EmailAddress] = [],
        bccRecipients: [EmailAddress] = [],
        subject: String,
        body: MessageBody,
        attachments: [AttachmentData] = [],
        reference: OutgoingReference? = nil
    ) {
        self.toRecipients = toRecipients
        self.ccRecipients = ccRecipients
        self.bccRecipients = bccRecipients
        self.subject = subject
        self.body = body
        self.attachments = attachments
        self.reference = reference
    }
}
