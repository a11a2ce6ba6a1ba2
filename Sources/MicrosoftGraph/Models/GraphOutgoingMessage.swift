/// The `message` of `sendMail`, `reply` and `forward`: only the properties Mailpulse sets.
public struct GraphOutgoingMessage: Sendable, Encodable, Equatable {
    /// `{"emailAddress":{"name","address"}}`, as Graph takes recipients.
    public struct Recipient: Sendable, Encodable, Equatable {
        public struct Address: Sendable, Encodable, Equatable {
            public var name: String
            public var address: String
        }

        public var emailAddress: Address

        /// Creates a recipient.
        public init(name: String, address: String) {
            self.emailAddress = Address(name: name, address: address)
        }
    }

    /// A `fileAttachment` with its bytes in base64.
    public struct FileAttachment: Sendable, Encodable, Equatable {
        public var name: String
        public var contentType: String
        public var contentBytes: String

        /// Creates a file attachment.
        public init(name: String, contentType: String, contentBytes: String) {
            self.name = name
            self.contentType = contentType
            self.contentBytes = contentBytes
        }

        enum CodingKeys: String, CodingKey {
            case odataType = "@odata.type"
            case name, contentType, contentBytes
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode("#microsoft.graph.fileAttachment", forKey: .odataType)
            try container.encode(self.name, forKey: .name)
            try container.encode(self.contentType, forKey: .contentType)
            try container.encode(self.contentBytes, forKey: .contentBytes)
        }
    }

    public var subject: String
    public var body: GraphMessageContent.ItemBody
    public var toRecipients: [Recipient]
    public var ccRecipients: [Recipient]
    public var bccRecipients: [Recipient]
    public var attachments: [FileAttachment]

    /// Creates a message to send.
    public init(
        subject: String,
        body: GraphMessageContent.ItemBody,
        toRecipients: [Recipient],
        ccRecipients: [Recipient],
        bccRecipients: [Recipient],
        attachments: [FileAttachment]
    ) {
        self.subject = subject
        self.body = body
        self.toRecipients = toRecipients
        self.ccRecipients = ccRecipients
        self.bccRecipients = bccRecipients
        self.attachments = attachments
    }
}
