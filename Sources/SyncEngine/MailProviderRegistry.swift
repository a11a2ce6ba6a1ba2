public import Foundation
public import MailpulseCore
internal import Synchronization

/// Every provider a node serves, each behind its own limits, as one ``MailProvider`` that hands each call to the
/// adapter of the account's kind (``Account/provider``). The engine talks to this and never asks which kind it serves.
///
/// An account's kind never changes, so it is read from the store once and remembered.
public final class MailProviderRegistry: MailProvider {
    private let store: any MailStore
    private let providers: [MailProviderKind: any MailProvider]
    private let kinds = Mutex<[AccountID: MailProviderKind]>([:])

    /// A registry of `providers` by kind; accounts are looked up in `store`.
    public init(store: any MailStore, providers: [MailProviderKind: any MailProvider]) {
        self.store = store
        self.providers = providers
    }

    /// The kinds this node can link.
    public var served: Set<MailProviderKind> { Set(self.providers.keys) }

    /// The adapter of the account's kind. Throws ``MailStoreError/notFound`` when the account does not exist (it was
    /// deleted: callers stop), and ``MailProviderError/failed(_:)`` when this node serves no provider of its kind.
    public func provider(of account: AccountID) async throws -> any MailProvider {
        let kind: MailProviderKind
        if let known = self.kinds.withLock({ $0[account] }) {
            kind = known
        } else {
            guard let stored = try await self.store.account(account) else { throw MailStoreError.notFound("account \(account)") }
            kind = stored.provider
            self.kinds.withLock { $0[account] = kind }
        }
        guard let provider = self.providers[kind] else {
            throw MailProviderError.failed("this node serves no \(kind.rawValue) provider")
        }
        return provider
    }

    // MARK: MailReader

    public func mailboxes(of account: AccountID, accessToken: String) async throws -> [Mailbox] {
        try await self.provider(of: account).mailboxes(of: account, accessToken: accessToken)
    }

    public func messageChanges(of account: AccountID, mailbox: String, link: String?, accessToken: String) async throws -> MessageChanges {
        try await self.provider(of: account).messageChanges(of: account, mailbox: mailbox, link: link, accessToken: accessToken)
    }

    public func message(_ id: String, of account: AccountID, accessToken: String) async throws -> Message? {
        try await self.provider(of: account).message(id, of: account, accessToken: accessToken)
    }

    // MARK: MailOpener, MailSender

    public func content(of message: String, of account: AccountID, accessToken: String) async throws -> MessageContent? {
        try await self.provider(of: account).content(of: message, of: account, accessToken: accessToken)
    }

    public func attachment(_ id: String, of message: String, of account: AccountID, limit: Int, accessToken: String) async throws -> AttachmentData? {
        try await self.provider(of: account).attachment(id, of: message, of: account, limit: limit, accessToken: accessToken)
    }

    public func send(_ message: OutgoingMessage, from account: AccountID, accessToken: String) async throws {
        try await self.provider(of: account).send(message, from: account, accessToken: accessToken)
    }

    // MARK: RedirectSignIn

    public func beginLogin(for account: AccountID, state: String) async throws -> LoginRequest {
        try await self.provider(of: account).beginLogin(for: account, state: state)
    }

    public func redeemLogin(code: String, verifier: String, for account: AccountID) async throws -> OAuthTokens {
        try await self.provider(of: account).redeemLogin(code: code, verifier: verifier, for: account)
    }

    public func identity(of account: AccountID, accessToken: String) async throws -> AccountIdentity {
        try await self.provider(of: account).identity(of: account, accessToken: accessToken)
    }

    public func refreshTokens(_ tokens: OAuthTokens, of account: AccountID) async throws -> OAuthTokens {
        try await self.provider(of: account).refreshTokens(tokens, of: account)
    }

    // MARK: WebhookPush

    public func subscribe(_ account: AccountID, request: SubscriptionRequest, accessToken: String) async throws -> AccountSubscription {
        try await self.provider(of: account).subscribe(account, request: request, accessToken: accessToken)
    }

    public func renewSubscription(
        _ id: String,
        of account: AccountID,
        until expiration: Date,
        accessToken: String
    ) async throws
        -> AccountSubscription
    {
        try await self.provider(of: account).renewSubscription(id, of: account, until: expiration, accessToken: accessToken)
    }

    public func reauthorizeSubscription(_ id: String, of account: AccountID, accessToken: String) async throws {
        try await self.provider(of: account).reauthorizeSubscription(id, of: account, accessToken: accessToken)
    }

    public func deleteSubscription(_ id: String, of account: AccountID, accessToken: String) async throws {
        try await self.provider(of: account).deleteSubscription(id, of: account, accessToken: accessToken)
    }
}
