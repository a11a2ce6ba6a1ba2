/// Where an IMAP account's mail is sent from: an SMTP submission server (port 587 with STARTTLS, or 465 with TLS).
/// Signs in with the IMAP account's user name and password unless it has its own.
public struct SubmissionServer: Sendable, Equatable, Codable {
    /// The server's host name or IP address.
    public var host: String
    /// The server's port.
    public var port: Int
    /// How the connection is protected.
    public var security: ConnectionSecurity
    /// The user name there, when it is not the IMAP one.
    public var username: String?
    /// The password there, when it is not the IMAP one. Never logged.
    public var password: String?

    /// Creates a submission server's settings.
    public init(host: String, port: Int, security: ConnectionSecurity, username: String? = nil, password: String? = nil) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
    }
}
