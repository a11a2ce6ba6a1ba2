/// A part of a message that is not its shown body: a file, an image the HTML shows, a forwarded message.
public struct MIMEAttachment: Sendable, Equatable {
    /// The part's id (``MIMEPart/id``), for ``MIMEMessage/attachmentData(id:)``.
    public var id: String
    /// The file name, when the part names one.
    public var fileName: String?
    /// The content type, lowercased (`application/pdf`).
    public var contentType: String
    /// The size in bytes, transfer encoding undone.
    public var size: Int
    /// Whether it is shown within the body rather than as a file: Content-Disposition `inline` with a Content-ID, or a
    /// Content-ID the HTML body refers to (`cid:`).
    public var isInline: Bool
    /// Content-ID without its angle brackets.
    public var contentID: String?

    /// An attachment.
    public init(id: String, fileName: String?, contentType: String, size: Int, isInline: Bool, contentID: String?) {
        self.id = id
        self.fileName = fileName
        self.contentType = contentType
        self.size = size
        self.isInline = isInline
        self.contentID = contentID
    }
}
