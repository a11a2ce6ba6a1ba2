/// What a person gives to link a mailbox that signs in with a password (IMAP): where the server is, how to reach it,
/// and who they are there. Never logged: the description leaves the password out.
public struct ServerCredentials: Sendable, Equatable, Codable {
    /// The server's host name or IP address.
    public var host: String
    /// The server's port.
    public var port: Int
    /// How the connection is protected.
    public var security: ConnectionSecurity
    /// The user name at the server (often the address).
    public var username: String
    /// The password (for Gmail, an app password).
    public var password: String
    /// Where mail is sent; `nil`: the IMAP host's port 587 with STARTTLS.
    public var smtp: SubmissionServer?

    /// Creates credentials.
    public init(host: String, port: Int, security: ConnectionSecurity, username: String, password: String, smtp: SubmissionServer? = nil) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.smtp = smtp
    }
}

extension ServerCredentials: CustomStringConvertible, CustomDebugStringConvertible {
    /// Where and who, without the password.
    public var description: String {
        let smtp = self.smtp.map { ", sending through \($0.host):\($0.port) \($0.security.rawValue)" } ?? ""
        return "ServerCredentials(\(self.username) at \(self.host):\(self.port), \(self.security.rawValue)\(smtp), password redacted)"
    }

    public var debugDescription: String {
        self.description
    }
}
