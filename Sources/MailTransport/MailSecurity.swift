/// How a connection to a mail server (IMAP, SMTP) is protected.
public enum MailSecurity: String, Sendable, Codable, CaseIterable {
    /// TLS from the first byte (IMAPS on port 993, SMTP submission on port 465).
    case tls
    /// Plain text until the client asks for TLS with `STARTTLS`, then TLS (IMAP on port 143, SMTP submission on port
    /// 587). A server that does not offer it is refused: the connection never goes on in plain text.
    case starttls
    /// Plain text throughout: for a server on the same machine or in tests only, since passwords travel readable.
    case none
}
