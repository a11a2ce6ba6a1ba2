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
import Synchronization
import TestSupport
import Testing

@Suite(.enabled(if: TestEnvironment.hasRedis, "needs REDIS_URL (make test provides it)"))
struct TokenRefreshTests {
    /// Links an account and waits for its initial sync to finish, so the test owns the tokens from then on.
    static func link(_ harness: LinkHarness, createMailbox: Bool = true) async throws -> (AccountID, token: String) {
        if createMailbox { try await harness.createMailbox("ada@outlook.com") }
        let (id, loginURL, token) = try await harness.createAccount()
        #expect(try await harness.returnFromProvider(try await harness.signIn(loginURL, as: "ada@outlook.com")).status == 302)
        #expect(try await harness.waitForStatus(id, token: token, "live") == "live")
        return (try #require(AccountID(id)), token)
    }

    @Test func twoConcurrentRefreshersSpendTheRefreshTokenOnce() async throws {
        try await LinkHarness.run { harness in
            let (account, _) = try await Self.link(harness)
            let first = try TestNode(harness)
            let second = try TestNode(harness)
            try await first.expireAccessToken(account)
            async let a = first.source.accessToken(for: account)
            async let b = second.source.accessToken(for: account)
            let (tokenA, tokenB) = try await (a, b)
            #expect(tokenA == tokenB)
            #expect(try await first.graph.me(accessToken: tokenA).userPrincipalName == "ada@outlook.com")
            let stats = try await harness.send("GET", "\(harness.simulator)/sim/stats")
            #expect(stats.json["tokenRefreshes"] as? Int == 1)
            // A fresh token is reused without another refresh.
            #expect(try await first.source.accessToken(for: account) == tokenA)
        }
    }

    @Test func aRefusedTokenIsRefreshedOnceAndTheCallRetried() async throws {
        try await LinkHarness.run { harness in
            let (account, _) = try await Self.link(harness)
            let node = try TestNode(harness)
            let stale = try await node.source.accessToken(for: account)
            let calls = Counter()
            let user = try await node.source.withAccessToken(for: account) { token in
                calls.increment()
                do {
                    // The first token is refused, as Graph refuses a revoked one.
                    if token == stale { throw GraphError(status: 401, code: "InvalidAuthenticationToken", message: "expired") }
                    return try await node.graph.me(accessToken: token)
                } catch let error as GraphError where error.isUnauthorized {
                    throw MailProviderError.unauthorized(error.message)
                }
            }
            #expect(user.userPrincipalName == "ada@outlook.com")
            #expect(calls.value == 2)
        }
    }

    @Test func invalidGrantMeansReauthRequiredAndRelinkRestoresTheAccountWithItsData() async throws {
        try await LinkHarness.run { harness in
            let (account, apiToken) = try await Self.link(harness)
            let node = try TestNode(harness)
            _ = try await node.store.upsertMessages([
                Message(
                    accountID: account,
                    id: "m1",
                    mailboxID: "inbox",
                    subject: "kept",
                    receivedAt: 1,
                    version: MessageVersion(sequence: 1, changeKey: "a")
                )
            ])
            // Someone else spends the refresh token (as a revocation would kill it), then the access token expires.
            let tokens = try #require(try await node.vault.tokens(for: account))
            _ = try await node.identity.refresh(refreshToken: try #require(tokens.refreshToken))
            try await node.expireAccessToken(account)
            await #expect(throws: MailProviderError.self) { try await node.source.accessToken(for: account) }
            #expect(try await harness.account(account.description, token: apiToken).json["status"] as? String == "reauth_required")

            let relink = try await harness.send("POST", "/api/accounts/\(account)/relink", headers: [("Authorization", "Bearer \(apiToken)")])
            let loginURL = try #require(relink.json["loginUrl"] as? String)
            #expect(try await harness.returnFromProvider(try await harness.signIn(loginURL, as: "ada@outlook.com")).status == 302)
            #expect(try await harness.waitForStatus(account.description, token: apiToken, "live") == "live")
            #expect(try await node.store.message("m1", of: account)?.subject == "kept")
            #expect(try await node.source.accessToken(for: account) != tokens.accessToken)
        }
    }
}

/// A counter a test closure can bump.
private final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { self.count.withLock { $0 += 1 } }
    var value: Int { self.count.withLock { $0 } }
}
