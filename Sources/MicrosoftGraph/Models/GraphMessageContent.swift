/// What opening a message reads from Graph in one request: its body, Bcc recipients and attachments' descriptions
/// (`$select=id,body,bccRecipients&$expand=attachments($select=id,name,contentType,size,isInline)`).
public struct GraphMessageContent: Sendable, Decodable, Equatable {
    /// `itemBody`: `{"contentType": "html" | "text", "content": …}`.
    public struct ItemBody: Sendable, Codable, Equatable {
        public var contentType: String?
        public var content: String?

        /// Creates a body.
        public init(contentType: String, content: String) {
            self.contentType = contentType
            self.content = content
        }
    }

    public var id: String
    public var body: ItemBody?
    public var bccRecipients: [GraphMessage.Recipient]?
    public var attachments: [GraphAttachment]?

    /// The query that fetches exactly these fields.
    public static let query = "$select=id,body,bccRecipients&$expand=attachments($select=\(GraphAttachment.selectList))"
}
