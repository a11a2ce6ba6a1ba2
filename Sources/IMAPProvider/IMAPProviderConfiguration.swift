internal import IMAP

/// How the IMAP adapter connects and pages.
public struct IMAPProviderConfiguration: Sendable {
    /// Whether `security: none` is allowed to hosts other than this machine (`IMAP_ALLOW_PLAINTEXT`): a password sent
    /// in plain text over a network can be read by anyone on the path.
    public var allowPlaintext: Bool
    /// A PEM file of the only certificates to trust (a private CA, a test server's own), or `nil` for the system's.
    public var trustedCertificates: String?
    /// Messages per page of an initial sync.
    public var pageSize: Int
    /// Connections one account's reads may hold open on one node (the watcher holds one more).
    public var connectionsPerAccount: Int
    /// Connections an account's watcher holds where the server has no NOTIFY: one IDLE each, the inbox first, then the
    /// special-use folders.
    public var watchConnections: Int
    /// Connections this node may hold open to one server (host and port), for every account on it together.
    public var connectionsPerServer: Int
    /// The largest message read whole (to open it, or for its attachments).
    public var maximumMessageBytes: Int
    /// How long a connection may wait for the server before it is given up.
    public var timeout: Duration
    /// How long an unused connection is kept for the account's next read.
    public var idleConnectionLifetime: Duration
    /// How long one IDLE lasts before it is re-issued (servers may drop a client idle for 30 minutes).
    public var idleRenewal: Duration
    /// Without NOTIFY, the folders no IDLE watches get a delta round this often.
    public var unwatchedRoundInterval: Duration

    /// A configuration; the defaults suit public servers (Gmail allows 15 connections per account, shared with the
    /// person's other clients).
    public init(
        allowPlaintext: Bool = false,
        trustedCertificates: String? = nil,
        pageSize: Int = 500,
        connectionsPerAccount: Int = 2,
        connectionsPerServer: Int = 100,
        watchConnections: Int = 1,
        maximumMessageBytes: Int = 50 << 20,
        timeout: Duration = .seconds(30),
        idleConnectionLifetime: Duration = .seconds(60),
        idleRenewal: Duration = .seconds(9 * 60),
        unwatchedRoundInterval: Duration = .seconds(45)
    ) {
        self.allowPlaintext = allowPlaintext
        self.trustedCertificates = trustedCertificates
        self.maximumMessageBytes = maximumMessageBytes
        self.pageSize = max(1, pageSize)
        self.connectionsPerAccount = max(1, connectionsPerAccount)
        self.connectionsPerServer = max(1, connectionsPerServer)
        self.watchConnections = max(1, watchConnections)
        self.timeout = timeout
        self.idleConnectionLifetime = idleConnectionLifetime
        self.idleRenewal = idleRenewal
        self.unwatchedRoundInterval = unwatchedRoundInterval
    }
}

extension IMAPProviderConfiguration {
    /// What the IMAP and SMTP clients trust server certificates by: ``trustedCertificates`` alone, else the system's.
    var trustRoots: IMAPTrustRoots {
        self.trustedCertificates.map { .certificates(pemFile: $0) } ?? .system
    }
}
