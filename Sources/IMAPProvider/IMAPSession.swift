internal import IMAP
internal import MailpulseCore
internal import Synchronization

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
    private let budget: IMAPServerBudget
    private let closed = Mutex(false)

    private init(
        connection: IMAPConnection,
        credentials: ServerCredentials,
        capabilities: Set<String>,
        qresync: Bool,
        budget: IMAPServerBudget
    ) {
        self.connection = connection
        self.credentials = credentials
        self.capabilities = capabilities
        self.qresync = qresync
        self.budget = budget
    }

    deinit {
        self.close()
    }

    /// The server a session's connection counts against in the ``IMAPServerBudget``.
    static func server(of credentials: ServerCredentials) -> String {
        "\(credentials.host.lowercased()):\(credentials.port)"
    }

    /// Connects, within the server's budget, and signs in. Throws ``IMAPError``: ``IMAPError/refused(_:)`` when the
    /// server refused the credentials.
    static func open(
        _ credentials: ServerCredentials,
        configuration: IMAPProviderConfiguration,
        budget: IMAPServerBudget
    ) async throws -> IMAPSession {
        let server = Self.server(of: credentials)
        await budget.acquire(server)
        let connection: IMAPConnection
        do {
            connection = try await Self.connect(credentials, configuration: configuration)
        } catch {
            await budget.release(server)
            throw error
        }
        do {
            try await connection.login(username: credentials.username, password: credentials.password)
            let enabled = try await connection.enable(["QRESYNC"])
            return IMAPSession(
                connection: connection,
                credentials: credentials,
                capabilities: try await connection.capabilities(),
                qresync: enabled.contains("QRESYNC"),
                budget: budget
            )
        } catch {
            connection.close()
            await budget.release(server)
            throw error
        }
    }

    private static func connect(_ credentials: ServerCredentials, configuration: IMAPProviderConfiguration) async throws -> IMAPConnection {
        try await IMAPConnection.connect(
            host: credentials.host,
            port: credentials.port,
            security: Self.security(credentials.security),
            trustRoots: configuration.trustRoots,
            // A whole message (opened, or for an attachment) is one literal of one response.
            limits: IMAPLimits(
                maximumLiteralLength: configuration.maximumMessageBytes,
                maximumResponseLength: configuration.maximumMessageBytes + (1 << 20)
            ),
            timeout: configuration.timeout
        )
    }

    /// The IMAP client's name for a protection.
    static func security(_ security: ConnectionSecurity) -> IMAPSecurity {
        switch security {
        case .tls: .tls
        case .starttls: .starttls
        case .none: .none
        }
    }

    /// Ends the session (LOGOUT is not waited for) and gives its connection back to the server's budget, once.
    func close() {
        self.connection.close()
        guard
            self.closed.withLock({ closed in
                defer { closed = true }
                return !closed
            })
        else { return }
        let (budget, server) = (self.budget, Self.server(of: self.credentials))
        Task { await budget.release(server) }
    }
}
