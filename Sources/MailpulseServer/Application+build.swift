internal import Foundation
internal import HTTPTransport
public import Hummingbird
public import Logging
internal import MailpulseCore
internal import MicrosoftGraph
internal import OutlookProvider
internal import Redis
internal import RedisBackplane
internal import SQLiteStore
internal import Secrets

/// Builds the service: the one place that picks concrete adapters for the ports.
public func buildApplication(configuration: MailpulseConfiguration, logger: Logger) async throws -> some ApplicationProtocol {
    let store: any MailStore
    switch configuration.store {
    case .sqlite:
        store = try SQLiteMailStore(path: configuration.sqlitePath)
    }
    let redis = RedisClient(configuration: RedisConfiguration(url: configuration.redisURL), logger: logger)
    let backplane = RedisBackplane(client: redis, prefix: configuration.redisPrefix)
    let tokenKey = try loadTokenKey(configuration)
    let vault = AESGCMTokenVault(key: tokenKey, store: store)
    let transport = URLSessionTransport()
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
    let provider = OutlookProvider(
        identity: identity,
        graph: GraphClient(baseURL: URL(string: configuration.resolvedGraphBaseURL)!, transport: transport)
    )
    let accessTokens = AccessTokenSource(
        vault: vault,
        backplane: backplane,
        store: store,
        provider: provider,
        margin: configuration.tokenRefreshMargin
    )
    let syncService = AccountSyncService(
        synchronizer: MailboxSynchronizer(store: store, provider: provider, tokens: accessTokens),
        store: store,
        backplane: backplane,
        interval: configuration.syncInterval,
        logger: logger
    )
    let dependencies = MailpulseDependencies(
        store: store,
        backplane: backplane,
        tokenVault: vault,
        provider: provider,
        accessTokens: accessTokens,
        linkObserver: syncService
    )

    let router = buildRouter(configuration: configuration, dependencies: dependencies)
    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "mailpulse"),
        services: [RedisClientService(client: redis), syncService],
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
        LogRequestsMiddleware(.info)
        RequestBodyLimitMiddleware(maximumBytes: configuration.maximumBodyBytes)
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

private func loadTokenKey(_ configuration: MailpulseConfiguration) throws -> TokenKey {
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
