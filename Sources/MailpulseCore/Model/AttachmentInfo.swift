/// What a message says of one of its attachments (not the bytes: see ``AttachmentData``).
public struct AttachmentInfo: Sendable, Equatable, Codable {
    /// The provider's id of the attachment within its message.
    public var id: String
    /// The file name.
    public var name: String
    /// The MIME type the sender gave.
    public var contentType: String
    /// The size in bytes.
    public var size: Int
    /// Whether the body shows it (an inline image) rather than offering it as a file.
    public var isInline: Bool

    /// Creates an attachment description.
    public init(id: String, name: String, contentType: String, size: Int, isInline: Bool) {
        self.id = id
        self.name = name
        self.contentType = contentType
        self.size = size
        self.isInline = isInline
    }
}
