/// A header field to write: its name and its value as text (non-ASCII is written as encoded words).
public struct MIMEField: Sendable, Equatable {
    /// The name (`X-Mailer`).
    public var name: String
    /// The value.
    public var value: String

    /// A field.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}
