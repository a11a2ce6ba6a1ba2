/// A response the parser cannot read, or one that breaks a limit: the connection that sent it is not to be trusted.
public struct IMAPParseError: Error, Equatable, CustomStringConvertible {
    /// What was wrong.
    public let message: String

    init(_ message: String) {
        self.message = message
    }

    public var description: String { "IMAP parse error: \(self.message)" }
}
