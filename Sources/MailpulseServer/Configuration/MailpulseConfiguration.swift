public import ElasticsearchStore
public import Logging
public import Redis

/// Everything the service reads from its environment, with the defaults a local run needs.
public struct MailpulseConfiguration: Sendable {
    /// The address the HTTP server binds (`HTTP_HOST`).
    public var host = "127.0.0.1"
    /// The HTTP port; 0 picks a free one (`HTTP_PORT`).
    public var port = 8080
    /// The largest request body accepted, in bytes (`HTTP_MAX_BODY_BYTES`).
    public var maximumBodyBytes = 1 << 20
    /// A connection that sends nothing for this long is closed (`HTTP_IDLE_TIMEOUT_SECONDS`), so slow or silent
    /// clients cannot hold the server's connections.
    public var httpIdleTimeout = Duration.seconds(60)
    /// When set, only requests carrying this key (`Authorization: Bearer`, or `X-Admin-Key`) may create accounts,
    /// and they get a one-time start URL for their user's browser (`ADMIN_API_KEY`).
    public var adminAPIKey: String?
    /// Accounts one client (IP address) may create per hour (`ACCOUNTS_PER_CLIENT_PER_HOUR`).
    public var accountsPerClientPerHour = 20
    /// Proxies whose `X-Forwarded-For` names the client (`TRUSTED_PROXIES`, comma-separated IP addresses or CIDR
    /// blocks); from any other peer the header is ignored.
    public var trustedProxies: [String] = []
    /// An account still `pending` (never signed in) this long after it was created is removed (`PENDING_ACCOUNT_TTL_SECONDS`).
    public var pendingAccountLifetime = Duration.seconds(3600)
    /// Live sockets one account may hold open on a node (`WEBSOCKETS_PER_ACCOUNT`).
    public var maximumSocketsPerAccount = 8
    /// The Redis server (`REDIS_URL`).
    public var redisURL: RedisURL
    /// The namespace of every Redis key (`REDIS_PREFIX`).
    public var redisPrefix = "mailpulse:"
    /// The store kind (`STORE`).
    public var store = StoreKind.sqlite
    /// The SQLite file (`SQLITE_PATH`).
    public var sqlitePath = "data/mailpulse.sqlite"
    /// The Elasticsearch cluster (`ELASTICSEARCH_URL`) when ``store`` is `elasticsearch`.
    public var elasticsearchURL: String?
    /// Basic credentials (`ELASTICSEARCH_USERNAME`, `ELASTICSEARCH_PASSWORD`), or an API key (`ELASTICSEARCH_API_KEY`).
    public var elasticsearchUsername: String?
    public var elasticsearchPassword: String?
    public var elasticsearchAPIKey: String?
    /// Prepended to Mailpulse's index names (`ELASTICSEARCH_INDEX_PREFIX`).
    public var elasticsearchIndexPrefix = "mailpulse-"
    /// When writes become searchable (`ELASTICSEARCH_REFRESH`: `false` within the refresh interval, `wait_for` before
    /// a write returns).
    public var elasticsearchRefresh = ElasticsearchConfiguration.Refresh.eventual
    /// The folder of the pages (`WEB_DIRECTORY`), served at `/`.
    public var webDirectory = "Web"
    /// The token key in base64 (`TOKEN_KEY`); when unset, the key in ``tokenKeyFile`` is used, created on first start.
    public var tokenKey: String?
    /// Where the generated token key is kept when `TOKEN_KEY` is unset (`TOKEN_KEY_FILE`).
    public var tokenKeyFile = "data/token.key"
    /// The log level (`LOG_LEVEL`).
    public var logLevel = Logger.Level.info
    /// The Microsoft app (client) id (`MS_CLIENT_ID`); unset means demo mode against graph-sim.
    public var microsoftClientID: String?
    /// The client secret of a confidential registration (`MS_CLIENT_SECRET`); public clients have none.
    public var microsoftClientSecret: String?
    /// The tenant segment (`MS_TENANT`): `common` lets personal outlook.com accounts sign in.
    public var microsoftTenant = "common"
    /// The identity platform (`IDENTITY_BASE_URL`); defaults to Microsoft's, or graph-sim in demo mode.
    public var identityBaseURL: String?
    /// Graph's v1.0 base (`GRAPH_BASE_URL`); defaults to Microsoft's, or graph-sim in demo mode.
    public var graphBaseURL: String?
    /// The address browsers and Graph reach this service at (`PUBLIC_URL`); defaults to http://HTTP_HOST:HTTP_PORT.
    public var publicURL: String?
    /// Origins a callbackUrl may point at (`ALLOWED_CALLBACK_ORIGINS`, comma-separated); defaults to PUBLIC_URL's.
    public var allowedCallbackOrigins: [String] = []
    /// How long before expiry an access token is refreshed (`TOKEN_REFRESH_MARGIN_SECONDS`).
    public var tokenRefreshMargin = Duration.seconds(300)

    /// How often every linked account is synced by delta (`SYNC_INTERVAL_SECONDS`); zero turns the schedule off.
    public var syncInterval = Duration.seconds(900)
    /// How often an account without change notifications is polled by delta (`POLL_INTERVAL_SECONDS`).
    public var pollInterval = Duration.seconds(60)
    /// At start-up, accounts whose last sync is older than this are backfilled (`BACKFILL_GAP_SECONDS`).
    public var backfillGap = Duration.seconds(60)
    /// The API of the tunnel in front of the webhooks (`TUNNEL_API_URL`: cloudflared's metrics server or ngrok's agent
    /// API); when set, webhooks go to the tunnel's public address, followed every ``tunnelCheckInterval``.
    public var tunnelAPIURL: String?
    /// How often the tunnel's address is read (`TUNNEL_CHECK_INTERVAL_SECONDS`).
    public var tunnelCheckInterval = Duration.seconds(10)
    /// Whether accounts subscribe to change notifications (`WEBHOOKS`, on or off); off means polling only.
    public var webhooks = true
    /// How many notification workers run on this node (`WORKERS`).
    public var workers = 4
    /// A notification entry another worker took and has not finished for this long is taken over (`WORKER_CLAIM_IDLE_SECONDS`).
    public var workerClaimIdle = Duration.seconds(20)
    /// Messages per delta page asked of Graph (`GRAPH_PAGE_SIZE`, `Prefer: odata.maxpagesize`).
    public var graphPageSize = 250
    /// Requests per mailbox per 10 minutes, across all nodes (`MAILBOX_REQUESTS_PER_10_MINUTES`; Graph's limit is 10,000).
    public var mailboxRequestsPer10Minutes = 10_000
    /// The requests per mailbox per 10 minutes the service allows itself: 5 % below the limit. Graph counts a request
    /// when it arrives and the bucket when it leaves, so at the limit a request that travels faster than the one
    /// before finds Graph's bucket not yet refilled (`make bench` saw ~2 429s per mailbox without this headroom).
    public var mailboxRequestBudget: Int { max(1, self.mailboxRequestsPer10Minutes * 95 / 100) }
    /// Requests in flight per mailbox, across all nodes (`MAILBOX_CONCURRENCY`; Graph's limit is 4).
    public var mailboxConcurrency = 4
    /// Whether IMAP accounts may use `security: none` to hosts other than this machine (`IMAP_ALLOW_PLAINTEXT`, true or
    /// false): their passwords would cross the network in plain text.
    public var imapAllowPlaintext = false
    /// A PEM file of the only certificates IMAP servers are trusted by (`IMAP_CA_FILE`: a private CA); the system's
    /// when unset.
    public var imapTrustedCertificates: String?
    /// Days of mail whose bodies a sync reads with the messages, so that search covers them before they are opened
    /// (`SYNC_BODIES_DAYS`); 0 reads bodies only when a message is opened.
    public var syncBodiesDays = 0
    /// The most bytes of an account's event log kept for pages that reconnect (`EVENT_LOG_MAX_BYTES`), beside its 256
    /// events: what an active account costs Redis beyond an idle one.
    public var eventLogMaximumBytes = 256 * 1024
    /// The largest attachment served for download, in bytes (`ATTACHMENT_MAX_BYTES`).
    public var maximumAttachmentBytes = 25 << 20
    /// Messages one account may send per minute (`SENDS_PER_ACCOUNT_PER_MINUTE`); more answer 429.
    public var sendsPerAccountPerMinute = 10
    /// Messages per page of an IMAP initial sync (`IMAP_PAGE_SIZE`).
    public var imapPageSize = 500
    /// IMAP connections one account's reads hold at once per node (`IMAP_CONNECTIONS_PER_ACCOUNT`); its watcher holds
    /// one more. Gmail allows 15 per account, shared with the person's other clients.
    public var imapConnectionsPerAccount = 2
    /// IMAP connections this node holds to one server for all its accounts together (`IMAP_CONNECTIONS_PER_SERVER`).
    public var imapConnectionsPerServer = 100
    /// IDLE connections an IMAP account's watcher holds where the server has no NOTIFY (`IMAP_WATCH_CONNECTIONS`): the
    /// inbox first, then the special-use folders; the rest get a delta round every 45 s.
    public var imapWatchConnections = 1
    /// Subscriptions expiring within this are renewed (`SUBSCRIPTION_RENEWAL_MARGIN_SECONDS`).
    public var subscriptionRenewalMargin = Duration.seconds(24 * 3600)
    /// How often each node checks the subscriptions of its share of the accounts (`RENEWAL_INTERVAL_SECONDS`).
    public var renewalInterval = Duration.seconds(300)

    /// graph-sim's address in demo mode.
    public static let demoSimulatorURL = "http://127.0.0.1:8081"
    /// graph-sim's registered client id.
    public static let demoClientID = "11111111-2222-3333-4444-555555555555"

    /// Whether no Microsoft app is configured, so the service talks to graph-sim.
    public var isDemo: Bool { self.microsoftClientID == nil }
    /// The public base URL without a trailing slash.
    public var resolvedPublicURL: String {
        let url = self.publicURL ?? "http://\(self.host == "0.0.0.0" ? "127.0.0.1" : self.host):\(self.port)"
        return url.hasSuffix("/") ? String(url.dropLast()) : url
    }
    /// The origins a callbackUrl may point at: ``allowedCallbackOrigins``, or ``resolvedPublicURL``'s when none are set.
    public var resolvedCallbackOrigins: [String] {
        self.allowedCallbackOrigins.isEmpty ? [CheckedURL(self.resolvedPublicURL)?.origin].compactMap { $0 } : self.allowedCallbackOrigins
    }
    /// The identity platform base in force.
    public var resolvedIdentityBaseURL: String {
        self.identityBaseURL ?? (self.isDemo ? Self.demoSimulatorURL : "https://login.microsoftonline.com")
    }
    /// The Graph base in force.
    public var resolvedGraphBaseURL: String {
        self.graphBaseURL ?? (self.isDemo ? "\(Self.demoSimulatorURL)/v1.0" : "https://graph.microsoft.com/v1.0")
    }

    /// The defaults.
    public init() {
        self.redisURL = try! RedisURL("redis://127.0.0.1:6379")
    }
}
