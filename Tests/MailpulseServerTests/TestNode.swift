import Foundation
import HTTPTransport
import MailpulseCore
import MailpulseServer
import MicrosoftGraph
import SyncEngine
import TestSupport
import Testing

/// What another node of the same deployment sees: a ``MailpulseNode`` built from the service's configuration (its
/// SQLite file, token key and Redis namespace), closed with the harness, beside clients of the simulator to act as the user's side would.
struct TestNode: Sendable {
    let node: MailpulseNode
    let identity: IdentityClient
    let graph: GraphClient

    init(_ harness: LinkHarness) throws {
        var configuration = harness.configuration
        // Small pages, so that every sync crosses several page boundaries.
        configuration.graphPageSize = 7
        self.node = try MailpulseNode(configuration: configuration, logger: harness.logs.logger())
        harness.nodes.update { [node = self.node] nodes in nodes.append(node) }
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
    }

    var store: any MailStore { self.node.store }
    var vault: any TokenVault { self.node.tokenVault }
    var source: AccessTokenSource { self.node.accessTokens }
    var events: any AccountEventLog { self.node.events }
    var synchronizer: MailboxSynchronizer { self.node.synchronizer }

    /// Makes the stored access token look expired, as it will be an hour after sign-in.
    func expireAccessToken(_ account: AccountID) async throws {
        var tokens = try #require(try await self.vault.tokens(for: account))
        tokens.expiresAt = Date(timeIntervalSinceNow: -1)
        try await self.vault.store(tokens, for: account)
    }
}
