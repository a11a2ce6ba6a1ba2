import Foundation
import HTTPTransport
import MailpulseCore
import MailpulseServer
import MicrosoftGraph
import OutlookProvider
import RedisBackplane
import SQLiteStore
import Secrets
import SyncEngine
import TestSupport
import Testing

/// What another node of the same deployment sees: the service's SQLite file, token key and Redis namespace.
struct TestNode {
    let store: SQLiteMailStore
    let vault: AESGCMTokenVault
    let source: AccessTokenSource
    let identity: IdentityClient
    let graph: GraphClient
    let provider: OutlookProvider
    let events: RedisAccountEventPublisher

    init(_ harness: LinkHarness) throws {
        let configuration = harness.configuration
        self.store = try SQLiteMailStore(path: configuration.sqlitePath)
        self.vault = AESGCMTokenVault(key: try TokenKey.loadOrCreate(at: configuration.tokenKeyFile), store: self.store)
        let transport = URLSessionTransport()
        self.identity = IdentityClient(
            configuration: IdentityConfiguration(
                clientID: configuration.microsoftClientID!,
                baseURL: URL(string: harness.simulator)!,
                redirectURI: "\(harness.publicURL)/oauth/callback"
            ),
            transport: transport
        )
        self.graph = GraphClient(baseURL: URL(string: "\(harness.simulator)/v1.0")!, transport: transport)
        let redis = TestEnvironment.redisClient(maximumConnections: 4)
        let backplane = RedisBackplane(client: redis, prefix: configuration.redisPrefix)
        self.events = RedisAccountEventPublisher(client: redis, prefix: configuration.redisPrefix, logger: harness.logs.logger())
        // Small pages, so that every sync crosses several page boundaries.
        self.provider = OutlookProvider(identity: self.identity, graph: self.graph, pageSize: 7)
        self.source = AccessTokenSource(vault: self.vault, backplane: backplane, store: self.store, provider: self.provider)
    }

    /// Makes the stored access token look expired, as it will be an hour after sign-in.
    func expireAccessToken(_ account: AccountID) async throws {
        var tokens = try #require(try await self.vault.tokens(for: account))
        tokens.expiresAt = Date(timeIntervalSinceNow: -1)
        try await self.vault.store(tokens, for: account)
    }
}
