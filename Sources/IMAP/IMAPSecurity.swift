/// How a connection to an IMAP server is protected.
public enum IMAPSecurity: String, Sendable, Codable, CaseIterable {
    /// TLS from the first byte (IMAPS, usually port 993).
    case tls
    /// Plain text until the client sends `STARTTLS`, then TLS (RFC 3501 §6.2.1, usually port 143). A server that does
    /// not offer it is refused: the connection never goes on in plain text.
    case starttls
    /// Plain text throughout: for a server on the same machine or in tests only, since passwords travel readable.
    case none
}
