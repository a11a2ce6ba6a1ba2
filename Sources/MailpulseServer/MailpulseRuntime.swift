internal import Foundation
internal import HTTPTransport
internal import Logging
internal import MailpulseCore
internal import MicrosoftGraph
internal import OutlookProvider
internal import Redis
internal import RedisBackplane
internal import SQLiteStore
internal import Secrets

/// Every adapter of a node, chosen from the configuration: the one place that picks concrete types for the ports,
/// shared by the HTTP service and the one-shot commands.
struct MailpulseRuntime {
    let redis: RedisClient
    let dependencies: MailpulseDependencies
    let synchronizer: MailboxSynchronizer
    let syncService: AccountSyncService

    init(configuration: MailpulseConfiguration, logger: Logger) throws {
        let store: any MailStore
        switch configuration.store {
        case .sqlite:
            store = try SQLiteMailStore(path: configuration.sqlitePath)
        }
        let redis = RedisClient(configuration: RedisConfiguration(url: configuration.redisURL), logger: logger)
        let backplane = RedisBackplane(client: redis, prefix: configuration.redisPrefix)
        let vault = AESGCMTokenVault(key: try Self.tokenKey(configuration), store: store)
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
        let synchronizer = MailboxSynchronizer(store: store, provider: provider, tokens: accessTokens)
        let syncService = AccountSyncService(
            synchronizer: synchronizer,
            store: store,
            backplane: backplane,
            interval: configuration.syncInterval,
            logger: logger
        )
        self.redis = redis
        self.synchronizer = synchronizer
        self.syncService = syncService
        self.dependencies = MailpulseDependencies(
            store: store,
            backplane: backplane,
            tokenVault: vault,
            provider: provider,
            linkObserver: syncService
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
