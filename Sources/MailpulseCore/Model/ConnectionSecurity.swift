/// How a connection to a mail server is protected.
public enum ConnectionSecurity: String, Sendable, Codable, CaseIterable {
    /// TLS from the first byte (IMAP's port 993).
    case tls
    /// Plain text upgraded with STARTTLS before signing in (IMAP's port 143).
    case starttls
    /// No protection: only for servers on this machine, unless the operator allows more.
    case none
}
