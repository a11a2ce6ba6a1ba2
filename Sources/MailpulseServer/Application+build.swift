public import Hummingbird
internal import HummingbirdWebSocket
public import Logging
internal import MailpulseCore

/// Builds the service: routes and background services over the adapters of ``MailpulseRuntime``.
public func buildApplication(configuration: MailpulseConfiguration, logger: Logger) async throws -> some ApplicationProtocol {
    _ = MailpulseMetrics.registry
    let runtime = try MailpulseRuntime(configuration: configuration, logger: logger)
    let store = runtime.dependencies.store
    let dependencies = runtime.dependencies
    let router = buildRouter(configuration: configuration, dependencies: dependencies)
    router.addRoutes(WebhookController(directory: runtime.directory, queue: runtime.queue).endpoints)
    router.addRoutes(MirrorController(store: store, events: runtime.events).endpoints)
    router.addRoutes(MetricsController(queue: runtime.queue).endpoints)
    // WebSocket upgrades have a router of their own, so ordinary requests never try to match them.
    let webSocketRouter = Router(context: AppRequestContext.self)
    webSocketRouter.addMiddleware { JSONErrorMiddleware() }
    LiveEventsController(store: store, events: runtime.events, hub: runtime.hub).register(on: webSocketRouter)
    var app = Application(
        router: router,
        server: .http1WebSocketUpgrade(webSocketRouter: webSocketRouter),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "mailpulse"),
        services: [RedisClientService(client: runtime.redis), runtime.hub, runtime.syncService, runtime.workerService, runtime.renewalService]
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

/// The routes and middleware over a set of adapters.
func buildRouter(configuration: MailpulseConfiguration, dependencies: MailpulseDependencies) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.addMiddleware {
        JSONErrorMiddleware()
        MetricsMiddleware()
        LogRequestsMiddleware(.info)
        RequestBodyLimitMiddleware(maximumBytes: configuration.maximumBodyBytes)
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
            allowedOrigins: configuration.allowedCallbackOrigins
        ).endpoints
    )
    return router
}
