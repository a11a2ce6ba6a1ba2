internal import IMAP
internal import MailpulseCore

/// A signed-in connection of one account with what the server offers, QRESYNC enabled where it can be (so every
/// FETCH names its UID and changes come with what vanished).
///
/// Sendable because the ``IMAPSessionPool`` hands each session to one task at a time: the connection inside is never
/// used by two at once.
final class IMAPSession: @unchecked Sendable {
    let connection: IMAPConnection
    /// Who it is signed in as, and where.
    let credentials: ServerCredentials
    /// What the server announced after sign-in.
    let capabilities: Set<String>
    /// Whether QRESYNC is enabled on this connection.
    let qresync: Bool

    private init(connection: IMAPConnection, credentials: ServerCredentials, capabilities: Set<String>, qresync: Bool) {
        self.connection = connection
        self.credentials = credentials
        self.capabilities = capabilities
        self.qresync = qresync
    }

    /// Connects and signs in. Throws ``IMAPError``: ``IMAPError/refused(_:)`` when the server refused the credentials.
    static func open(_ credentials: ServerCredentials, configuration: IMAPProviderConfiguration) async throws -> IMAPSession {
        let connection = try await IMAPConnection.connect(
            host: credentials.host,
            port: credentials.port,
            security: Self.security(credentials.security),
            trustRoots: configuration.trustedCertificates.map { .certificates(pemFile: $0) } ?? .system,
            timeout: configuration.timeout
        )
        do {
            try await connection.login(username: credentials.username, password: credentials.password)
            let enabled = try await connection.enable(["QRESYNC"])
            return IMAPSession(
                connection: connection,
                credentials: credentials,
                capabilities: try await connection.capabilities(),
                qresync: enabled.contains("QRESYNC")
            )
        } catch {
            connection.close()
            throw error
        }
    }

    /// The IMAP client's name for a protection.
    static func security(_ security: ConnectionSecurity) -> IMAPSecurity {
        switch security {
        case .tls: .tls
        case .starttls: .starttls
        case .none: .none
        }
    }

    /// Ends the session (LOGOUT is not waited for).
    func close() {
        self.connection.close()
    }
}
