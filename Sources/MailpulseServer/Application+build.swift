public import Hummingbird
internal import HummingbirdCore
internal import HummingbirdWebSocket
public import Logging
internal import MailpulseCore
internal import NIOCore
internal import Secrets
internal import SyncEngine

/// Builds the service: routes and background services over the adapters of ``MailpulseNode``.
public func buildApplication(configuration: MailpulseConfiguration, logger: Logger) async throws -> some ApplicationProtocol {
    _ = MailpulseMetrics.registry
    let runtime = try MailpulseNode(configuration: configuration, logger: logger)
    let store = runtime.dependencies.store
    let dependencies = runtime.dependencies
    let removal = AccountRemoval(
        store: store,
        tokenVault: dependencies.tokenVault,
        subscriptions: dependencies.subscriptions,
        backplane: dependencies.backplane,
        events: runtime.events
    )
    let router = buildRouter(configuration: configuration, dependencies: dependencies, removal: removal)
    router.addRoutes(WebhookController(decoder: runtime.notificationDecoder, directory: runtime.directory, queue: runtime.queue).endpoints)
    router.addRoutes(MirrorController(store: store, events: runtime.events).endpoints)
    router.addRoutes(
        MessageController(
            store: store,
            provider: dependencies.provider,
            tokens: runtime.accessTokens,
            contents: MessageContentSource(store: store, opener: dependencies.provider, tokens: runtime.accessTokens),
            tokenVault: dependencies.tokenVault,
            backplane: dependencies.backplane,
            maximumAttachmentBytes: configuration.maximumAttachmentBytes,
            sendLimit: RateLimit(capacity: configuration.sendsPerAccountPerMinute, per: .seconds(60))
        ).endpoints
    )
    router.addRoutes(MetricsController(queue: runtime.queue).endpoints)
    // WebSocket upgrades have a router of their own, so ordinary requests never try to match them.
    let webSocketRouter = Router(context: AppRequestContext.self)
    let refusals = UpgradeRefusals()
    webSocketRouter.addMiddleware {
        UpgradeRefusalMiddleware(refusals: refusals)
    }
    LiveEventsController(
        store: store,
        events: runtime.events,
        hub: runtime.hub,
        allowedOrigins: Set([configuration.resolvedPublicURL].compactMap { CheckedURL($0)?.origin } + configuration.resolvedCallbackOrigins),
        maximumSocketsPerAccount: configuration.maximumSocketsPerAccount
    )
    .register(on: webSocketRouter)
    let sweeper = PendingAccountSweeper(store: store, removal: removal, lifetime: configuration.pendingAccountLifetime, logger: logger)
    var app = Application(
        router: router,
        server: server(configuration: configuration, webSocketRouter: webSocketRouter, refusals: refusals),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "mailpulse"),
        services: [
            RedisClientService(client: runtime.redis), runtime.workShare, runtime.hub, runtime.syncService, runtime.workerService,
            runtime.doorbellService,
            runtime.renewalService, runtime.watchService, sweeper,
        ]
            + [runtime.tunnelService].compactMap { $0 },
        logger: logger
    )
    app.beforeServerStarts {
        try await store.prepare()
        if configuration.isDemo {
            logger.notice(
                "Demo mode: no MS_CLIENT_ID, so sign-in and Graph go to graph-sim",
                metadata: ["identity.url": "\(configuration.resolvedIdentityBaseURL)", "graph.url": "\(configuration.resolvedGraphBaseURL)"]
            )
        }
        logger.info(
            "Mailpulse starting",
            metadata: ["store.kind": "\(configuration.store.rawValue)", "redis.url": "\(configuration.redisURL)"]
        )
    }
    return app
}

/// HTTP/1.1 with WebSocket upgrades, every connection behind a ``RequestHeadGuard`` and closed when idle for
/// ``MailpulseConfiguration/httpIdleTimeout``; refused upgrades answer with their JSON error.
func server(configuration: MailpulseConfiguration, webSocketRouter: Router<AppRequestContext>, refusals: UpgradeRefusals) -> HTTPServerBuilder {
    let idle = TimeAmount.nanoseconds(Int64(configuration.httpIdleTimeout.timeInterval * 1_000_000_000))
    let webSocketResponder = webSocketRouter.buildResponder()
    return HTTPServerBuilder { responder in
        GuardedServerChannel(
            inner: HTTP1WebSocketUpgradeChannel(
                responder: responder,
                webSocketResponder: webSocketResponder,
                configuration: .init(
                    http1: .init(additionalChannelHandlers: [UpgradeRefusalHandler(refusals: refusals)], idleTimeout: idle)
                )
            ),
            headDeadline: idle
        )
    }
}

/// The routes and middleware over a set of adapters.
func buildRouter(configuration: MailpulseConfiguration, dependencies: MailpulseDependencies, removal: AccountRemoval) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.addMiddleware {
        SecurityHeadersMiddleware()
        JSONErrorMiddleware()
        MetricsMiddleware()
        RequestLogMiddleware()
        RequestBodyLimitMiddleware(
            maximumBytes: configuration.maximumBodyBytes,
            deadline: configuration.httpIdleTimeout,
            largerBodies: ["/messages/send": SendMessageInput.maximumRequestBytes]
        )
        // The pages change with the service: browsers revalidate them (by ETag) rather than run stale code.
        FileMiddleware(
            configuration.webDirectory,
            cacheControl: .init([(MediaType(type: .any), [.noCache])]),
            searchForIndexHtml: true
        )
        .withAdditionalMediaType(MediaType(type: .application, subType: "yaml"), mappedToFileExtension: "yaml")
    }
    router.addRoutes(HealthController(store: dependencies.store, backplane: dependencies.backplane).endpoints)
    router.addRoutes(
        AccountController(
            dependencies: dependencies,
            publicURL: configuration.resolvedPublicURL,
            allowedOrigins: configuration.resolvedCallbackOrigins,
            adminKeyDigest: configuration.adminAPIKey.map(SecretDigest.sha256),
            creationLimit: RateLimit(capacity: configuration.accountsPerClientPerHour, per: .seconds(3600)),
            clientAddress: ClientAddress(trustedProxies: configuration.trustedProxies.compactMap(ClientAddress.Block.init)),
            accounts: removal
        ).endpoints
    )
    return router
}
