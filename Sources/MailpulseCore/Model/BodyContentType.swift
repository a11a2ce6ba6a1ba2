/// The kind of a message body (Graph's `itemBody.contentType`).
public enum BodyContentType: String, Sendable, Codable, CaseIterable {
    /// HTML: shown only in a sandbox, never in a page's own origin.
    case html
    /// Plain text.
    case text
}
