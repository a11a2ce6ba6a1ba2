internal import ElasticsearchStore
internal import Foundation
internal import HTTPTransport
internal import IMAPProvider
public import Logging
public import MailpulseCore
internal import MicrosoftGraph
internal import OutlookProvider
internal import Redis
internal import RedisBackplane
internal import SQLiteStore
internal import Secrets
public import SyncEngine

/// A node: every adapter chosen from the configuration and the engine's services over them. The one place that picks
/// concrete types for the ports (the composition root), shared by the HTTP service, the one-shot commands and the
/// tests, which look at a deployment through a node of their own.
public struct MailpulseNode: Sendable {
    let redis: RedisClient
    let dependencies: MailpulseDependencies
    let queue: RedisChangeQueue
    let directory: RedisSubscriptionDirectory
    /// Reads the provider's webhook deliveries.
    let notificationDecoder: any NotificationDecoder = GraphNotificationDecoder()
    let hub: LiveEventHub
    let syncService: AccountSyncService
    let workerService: ChangeWorkerService
    let doorbellService: DoorbellService
    let renewalService: SubscriptionRenewalService
    let watchService: ConnectionWatchService
    /// This node's share of the periodic work, among the nodes alive.
    let workShare: WorkShare
    /// Follows the tunnel's public address, when `TUNNEL_API_URL` names one (and webhooks are on).
    let tunnelService: TunnelAddressService?

    /// The store every node of the deployment shares.
    public var store: any MailStore { self.dependencies.store }
    /// The account tokens, sealed in the store.
    public var tokenVault: any TokenVault { self.dependencies.tokenVault }
    /// Every provider this node serves, each behind its limits.
    public var provider: MailProviderRegistry { self.dependencies.provider }
    /// Fresh access tokens, refreshed under the account's lock.
    public let accessTokens: AccessTokenSource
    /// Delta rounds of an account's folders.
    public let synchronizer: MailboxSynchronizer
    /// Account events, published and logged on the deployment's Redis.
    public var events: any AccountEventLog { self.eventLog }
    let eventLog: RedisAccountEventPublisher

    /// Builds a node from `configuration`; nothing runs until its services are started.
    public init(configuration: MailpulseConfiguration, logger: Logger) throws {
        let store: any MailStore
        switch configuration.store {
        case .sqlite:
            store = try SQLiteMailStore(path: configuration.sqlitePath)
        case .elasticsearch:
            store = ElasticsearchMailStore(configuration: try Self.elasticsearch(configuration), transport: URLSessionTransport())
        }
        // Each worker holds a connection while it blocks on the stream; the rest of the node shares twelve.
        let redis = RedisClient(
            configuration: RedisConfiguration(url: configuration.redisURL, maximumConnections: 12 + configuration.workers),
            logger: logger
        )
        let prefix = configuration.redisPrefix
        let backplane = RedisBackplane(client: redis, prefix: prefix)
        let vault = AESGCMTokenVault(key: try Self.tokenKey(configuration), store: store)
        let transport = URLSessionTransport()
        let events = RedisAccountEventPublisher(client: redis, prefix: prefix, logBytes: configuration.eventLogMaximumBytes, logger: logger)
        let identity = IdentityClient(
            configuration: IdentityConfiguration(
                clientID: configuration.microsoftClientID ?? MailpulseConfiguration.demoClientID,
                clientSecret: configuration.microsoftClientSecret,
                tenant: configuration.microsoftTenant,
                baseURL: URL(string: configuration.resolvedIdentityBaseURL)!,
                redirectURI: "\(configuration.resolvedPublicURL)/oauth/callback"
            ),
            transport: transport
        )
        let outlook = RateLimitedMailProvider(
            OutlookProvider(
                identity: identity,
                graph: GraphClient(baseURL: URL(string: configuration.resolvedGraphBaseURL)!, transport: transport),
                pageSize: configuration.graphPageSize
            ),
            kind: .outlook,
            backplane: backplane,
            limit: RateLimit(capacity: configuration.mailboxRequestBudget, per: .seconds(600)),
            concurrency: configuration.mailboxConcurrency,
            leaseTTL: .seconds(30),
            events: events
        )
        let imapAdapter = IMAPMailProvider(
            configuration: IMAPProviderConfiguration(
                allowPlaintext: configuration.imapAllowPlaintext,
                trustedCertificates: configuration.imapTrustedCertificates,
                pageSize: configuration.imapPageSize,
                connectionsPerAccount: configuration.imapConnectionsPerAccount,
                connectionsPerServer: configuration.imapConnectionsPerServer,
                watchConnections: configuration.imapWatchConnections
            )
        )
        // Across nodes as well: an account's reads hold at most this many connections at once.
        let imap = RateLimitedMailProvider(
            imapAdapter,
            kind: .imap,
            backplane: backplane,
            limit: RateLimit(capacity: configuration.mailboxRequestBudget, per: .seconds(600)),
            concurrency: configuration.imapConnectionsPerAccount,
            leaseTTL: .seconds(60),
            events: events
        )
        let provider = MailProviderRegistry(store: store, providers: [.outlook: outlook, .imap: imap, .gmail: imap])
        let accessTokens = AccessTokenSource(
            vault: vault,
            backplane: backplane,
            store: store,
            provider: provider,
            margin: configuration.tokenRefreshMargin,
            events: events
        )
        let directory = RedisSubscriptionDirectory(client: redis, prefix: prefix)
        let queue = RedisChangeQueue(client: redis, prefix: prefix)
        let webhookAddress = WebhookAddress(
            configuration.webhooks ? WebhookEndpoints(publicURL: configuration.resolvedPublicURL, path: WebhookController.path) : nil
        )
        let subscriptions = SubscriptionManager(
            store: store,
            provider: provider,
            tokens: accessTokens,
            directory: directory,
            address: webhookAddress,
            renewalMargin: configuration.subscriptionRenewalMargin
        )
        let bodies =
            configuration.syncBodiesDays > 0
            ? BodyPrefetch(
                contents: MessageContentSource(store: store, opener: provider, tokens: accessTokens),
                window: .seconds(configuration.syncBodiesDays * 86_400)
            )
            : nil
        let synchronizer = MailboxSynchronizer(store: store, provider: provider, tokens: accessTokens, events: events, bodies: bodies)
        let nodeName = "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
        let share = WorkShare(backplane: backplane, node: "\(nodeName)-\(UUID().uuidString.prefix(8))", logger: logger)
        self.workShare = share
        let syncService = AccountSyncService(
            synchronizer: synchronizer,
            subscriptions: subscriptions,
            store: store,
            backplane: backplane,
            events: events,
            schedule: SyncSchedule(
                syncInterval: configuration.syncInterval,
                pollInterval: configuration.pollInterval,
                backfillGap: configuration.backfillGap
            ),
            share: share,
            describe: ProblemSentence.of,
            logger: logger
        )
        self.redis = redis
        self.accessTokens = accessTokens
        self.synchronizer = synchronizer
        self.queue = queue
        self.directory = directory
        self.eventLog = events
        self.hub = LiveEventHub(
            feed: RedisAccountEventFeed(
                subscriber: RedisSubscriber(url: configuration.redisURL, logger: logger),
                channelPrefix: events.channelPrefix
            ),
            queueLength: 1_000
        )
        self.syncService = syncService
        let doorbells = DoorbellService(backplane: backplane, store: store, syncService: syncService, logger: logger)
        self.doorbellService = doorbells
        self.workerService = ChangeWorkerService(
            queue: queue,
            store: store,
            processor: ChangeProcessor(store: store, provider: provider, tokens: accessTokens, events: events),
            subscriptions: subscriptions,
            syncService: syncService,
            doorbells: doorbells,
            events: events,
            workers: configuration.workers,
            claimIdle: configuration.workerClaimIdle,
            consumerPrefix: nodeName,
            describe: ProblemSentence.of,
            logger: logger
        )
        self.renewalService = SubscriptionRenewalService(
            subscriptions: subscriptions,
            store: store,
            backplane: backplane,
            interval: configuration.renewalInterval,
            share: share,
            events: events,
            describe: ProblemSentence.of,
            logger: logger
        ) { account in
            syncService.requestBackfill(account)
        }
        self.watchService = ConnectionWatchService(
            store: store,
            backplane: backplane,
            tokens: accessTokens,
            push: imapAdapter,
            syncService: syncService,
            doorbells: doorbells,
            share: share,
            logger: logger
        )
        let renewalService = self.renewalService
        self.tunnelService = configuration.tunnelAPIURL.flatMap { apiURL in
            guard configuration.webhooks else { return nil }
            return TunnelAddressService(
                apiURL: apiURL,
                address: webhookAddress,
                transport: transport,
                interval: configuration.tunnelCheckInterval,
                logger: logger
            ) {
                await renewalService.passAfterMove()
            }
        }
        self.dependencies = MailpulseDependencies(
            store: store,
            backplane: backplane,
            tokenVault: vault,
            provider: provider,
            linkObserver: AccountLinkObservers([syncService, self.watchService]),
            subscriptions: subscriptions,
            passwordSignIn: imapAdapter
        )
    }

    /// Closes the node's Redis connections and stops their threads: for a node whose services were never run (a
    /// one-shot command, a test's view of the deployment); a running service closes them as it stops.
    public func close() async {
        await self.redis.close()
    }

    private static func elasticsearch(_ configuration: MailpulseConfiguration) throws -> ElasticsearchConfiguration {
        guard let text = configuration.elasticsearchURL, let url = URL(string: text) else {
            throw ConfigurationError(key: "ELASTICSEARCH_URL", message: "STORE=elasticsearch needs the cluster's URL")
        }
        var credentials = ElasticsearchConfiguration.Credentials.none
        if let key = configuration.elasticsearchAPIKey {
            credentials = .apiKey(key)
        } else if let user = configuration.elasticsearchUsername, let password = configuration.elasticsearchPassword {
            credentials = .basic(user: user, password: password)
        }
        return ElasticsearchConfiguration(
            url: url,
            credentials: credentials,
            indexPrefix: configuration.elasticsearchIndexPrefix,
            refresh: configuration.elasticsearchRefresh
        )
    }

    private static func tokenKey(_ configuration: MailpulseConfiguration) throws -> TokenKey {
        if let base64 = configuration.tokenKey {
            do {
                return try TokenKey(base64: base64)
            } catch let error as SecretsError {
                throw ConfigurationError(key: "TOKEN_KEY", message: error.message)
            }
        }
        do {
            return try TokenKey.loadOrCreate(at: configuration.tokenKeyFile)
        } catch let error as SecretsError {
            throw ConfigurationError(key: "TOKEN_KEY_FILE", message: error.message)
        }
    }
}
