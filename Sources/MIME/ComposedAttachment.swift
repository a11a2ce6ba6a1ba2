/// A file to send with a message.
public struct ComposedAttachment: Sendable, Equatable {
    /// The file name people see (any text; non-ASCII names are written as RFC 2231 requires).
    public var fileName: String
    /// The content type (`application/pdf`).
    public var contentType: String
    /// The file's bytes.
    public var bytes: [UInt8]
    /// A Content-ID (without angle brackets) for an image the HTML body shows as `cid:…`; such a part goes inline.
    public var contentID: String?

    /// An attachment.
    public init(fileName: String, contentType: String, bytes: [UInt8], contentID: String? = nil) {
        self.fileName = fileName
        self.contentType = contentType
        self.bytes = bytes
        self.contentID = contentID
    }
}
