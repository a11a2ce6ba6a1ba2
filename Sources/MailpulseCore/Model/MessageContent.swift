internal import MIME

/// What opening a message adds to what the mirror indexes: its body, its Bcc recipients (known only on the sender's
/// copy) and its attachments. Read from the provider when the message is first opened, then kept in the store.
public struct MessageContent: Sendable, Equatable, Codable {
    /// The body.
    public var body: MessageBody
    /// The Bcc recipients.
    public var bccRecipients: [EmailAddress]
    /// The attachments, inline ones included.
    public var attachments: [AttachmentInfo]

    /// Creates a message's content.
    public init(body: MessageBody, bccRecipients: [EmailAddress] = [], attachments: [AttachmentInfo] = []) {
        self.body = body
        self.bccRecipients = bccRecipients
        self.attachments = attachments
    }

    /// The body as words to search: the text, or the HTML without its tags, styles and scripts.
    public var searchableText: String {
        switch self.body.contentType {
        case .text: self.body.content
        case .html: HTMLText.plainText(self.body.content)
        }
    }
}
