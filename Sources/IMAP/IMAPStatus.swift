/// A status response: `OK`, `NO`, `BAD`, `BYE` or `PREAUTH`, with its optional response code and its text.
public struct IMAPStatus: Sendable, Equatable {
    /// The kinds of status.
    public enum Kind: String, Sendable, Equatable {
        case ok = "OK"
        case no = "NO"
        case bad = "BAD"
        case bye = "BYE"
        case preauth = "PREAUTH"
    }

    /// Which status.
    public var kind: Kind
    /// The response code in brackets, if any.
    public var code: IMAPResponseCode?
    /// The human-readable text.
    public var text: String

    /// Creates a status.
    public init(_ kind: Kind, code: IMAPResponseCode? = nil, text: String) {
        self.kind = kind
        self.code = code
        self.text = text
    }
}
