/// What opening a message reads from Graph: its body and Bcc recipients (`$select=body,bccRecipients`).
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

    /// The `$select` list that fetches exactly these fields.
    public static let selectList = "id,body,bccRecipients"
}
