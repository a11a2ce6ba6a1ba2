/// The body to show of a message: its HTML, or its plain text, decoded.
public struct MIMEBody: Sendable, Equatable {
    /// `"html"` or `"text"`.
    public var contentType: String
    /// The body as text (transfer encoding and charset undone).
    public var content: String
    /// The id of the part it came from.
    public var partID: String

    /// A body.
    public init(contentType: String, content: String, partID: String) {
        self.contentType = contentType
        self.content = content
        self.partID = partID
    }
}
