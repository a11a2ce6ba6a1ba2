internal import Foundation
public import Hummingbird
public import Logging
internal import MailpulseCore
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
    let dependencies = MailpulseDependencies(store: store, backplane: backplane, tokenVault: AESGCMTokenVault(key: tokenKey, store: store))

    let router = buildRouter(configuration: configuration, dependencies: dependencies)
    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "mailpulse"),
        services: [RedisClientService(client: redis)],
        logger: logger
    )
    app.beforeServerStarts {
        try await store.prepare()
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
