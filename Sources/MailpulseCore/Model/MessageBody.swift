/// A message's body as the provider gives it: HTML or plain text.
public struct MessageBody: Sendable, Equatable, Codable {
    /// Whether the content is HTML or plain text.
    public var contentType: BodyContentType
    /// The body itself.
    public var content: String

    /// Creates a body.
    public init(contentType: BodyContentType, content: String) {
        self.contentType = contentType
        self.content = content
    }
}
