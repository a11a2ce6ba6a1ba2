/// The text of a message to send.
public enum ComposedBody: Sendable, Equatable {
    /// Plain text, sent as text/plain.
    case text(String)
    /// HTML, sent as multipart/alternative with a plain-text rendering made from it.
    case html(String)
}
