internal import Foundation
public import MailpulseCore
internal import Metrics

/// Hands out valid access tokens, refreshing them before they expire under a per-account lock shared by every
/// node, so that one node spends a rotating refresh token and the others reuse what it stored.
public struct AccessTokenSource: Sendable {
    private let vault: any TokenVault
    private let backplane: any Backplane
    private let store: any MailStore
    private let provider: any RedirectSignIn
    private let margin: Duration
    private let lockTTL: Duration
    private let events: (any AccountEventPublisher)?

    /// Creates a source; tokens expiring within `margin` are refreshed. An account whose grant died is told to
    /// `events` (its pages show that it needs its person).
    public init(
        vault: any TokenVault,
        backplane: any Backplane,
        store: any MailStore,
        provider: any RedirectSignIn,
        margin: Duration = .seconds(300),
        lockTTL: Duration = .seconds(30),
        events: (any AccountEventPublisher)? = nil
    ) {
        self.vault = vault
        self.backplane = backplane
        self.store = store
        self.provider = provider
        self.margin = margin
        self.lockTTL = lockTTL
        self.events = events
    }

    /// The backplane key of the account's token-refresh lock.
    public static func lockKey(_ account: AccountID) -> String {
        "token-refresh:\(account)"
    }

    /// A valid access token; `rejected` is a token the provider just refused, which must not be handed out again.
    public func accessToken(for account: AccountID, rejected: String? = nil) async throws -> String {
        let deadline = ContinuousClock.now + self.lockTTL + .seconds(5)
        while true {
            let tokens = try await self.currentTokens(account)
            if self.isUsable(tokens, rejected: rejected) { return tokens.accessToken }
            if let grant = try await self.backplane.lock(Self.lockKey(account), ttl: self.lockTTL) {
                do {
                    let token = try await self.refreshHoldingLock(account, rejected: rejected)
                    try await self.backplane.unlock(grant)
                    return token
                } catch {
                    _ = try? await self.backplane.unlock(grant)
                    throw error
                }
            }
            // Another node is refreshing: wait for its result rather than spend the refresh token twice.
            guard ContinuousClock.now < deadline else {
                throw MailProviderError.failed("token refresh of \(account) did not finish in time")
            }
            try await Task.sleep(for: .milliseconds(25))
        }
    }

    /// Runs `body` with a valid token; when the provider refuses the token, refreshes once and runs it once more.
    public func withAccessToken<T: Sendable>(for account: AccountID, _ body: (String) async throws -> T) async throws -> T {
        let token = try await self.accessToken(for: account)
        do {
            return try await body(token)
        } catch MailProviderError.unauthorized {
            return try await body(try await self.accessToken(for: account, rejected: token))
        }
    }

    private func refreshHoldingLock(_ account: AccountID, rejected: String?) async throws -> String {
        // Read again under the lock: the previous holder may have refreshed already.
        let tokens = try await self.currentTokens(account)
        if self.isUsable(tokens, rejected: rejected) { return tokens.accessToken }
        do {
            let fresh = try await self.provider.refreshTokens(tokens, of: account)
            try await self.vault.store(fresh, for: account)
            Counter(label: "mailpulse_token_refreshes_total", dimensions: [("outcome", "ok")]).increment()
            return fresh.accessToken
        } catch let error as MailProviderError {
            Counter(label: "mailpulse_token_refreshes_total", dimensions: [("outcome", error.outcome)]).increment()
            guard case .reauthRequired(let reason) = error else { throw error }
            if var stored = try await self.store.account(account) {
                stored.status = .reauthRequired
                stored.updatedAt = Date()
                try await self.store.updateAccount(stored)
                await self.events?.publish(.accountStatus(.reauthRequired), for: account)
            }
            throw MailProviderError.reauthRequired(reason)
        }
    }

    private func currentTokens(_ account: AccountID) async throws -> OAuthTokens {
        guard let tokens = try await self.vault.tokens(for: account) else {
            throw MailProviderError.reauthRequired("account \(account) has no tokens")
        }
        return tokens
    }

    private func isUsable(_ tokens: OAuthTokens, rejected: String?) -> Bool {
        tokens.accessToken != rejected && tokens.expiresAt > Date().addingTimeInterval(self.margin.timeInterval)
    }
}
