public import Foundation
public import MailpulseCore

/// Keeps each account's change-notification subscription alive: creates it (with a fresh secret registered in
/// the ``SubscriptionDirectory``), renews it within a margin of its expiry, recreates it when the provider lost
/// it, and reauthorizes it when asked. An account whose subscription cannot be made runs on polling
/// (``AccountStatus/degraded``) and is tried again on the next pass.
public struct SubscriptionManager: Sendable {
    /// What a pass over one account did.
    public enum Outcome: Sendable, Equatable {
        /// Nothing was due.
        case unchanged
        /// The subscription was renewed.
        case renewed
        /// A new subscription replaced a missing or lost one: notifications may have been missed, so backfill.
        case recreated
        /// No subscription could be made: the account is polled.
        case polling
    }

    private let store: any MailStore
    private let provider: any WebhookPush
    private let tokens: AccessTokenSource
    private let directory: any SubscriptionDirectory
    private let address: WebhookAddress
    private let lifetime: Duration
    private let renewalMargin: Duration

    /// Creates a manager. Without webhook endpoints at `address` no subscription is made and every account is polled.
    /// `lifetime` is the expiry asked for (the provider may grant less); subscriptions expiring within
    /// `renewalMargin` are renewed.
    public init(
        store: any MailStore,
        provider: any WebhookPush,
        tokens: AccessTokenSource,
        directory: any SubscriptionDirectory,
        address: WebhookAddress,
        lifetime: Duration = .seconds(10_079 * 60),
        renewalMargin: Duration = .seconds(24 * 3600)
    ) {
        self.store = store
        self.provider = provider
        self.tokens = tokens
        self.directory = directory
        self.address = address
        self.lifetime = lifetime
        self.renewalMargin = renewalMargin
    }

    /// Subscribes the account, replacing any subscription it had; answers `.recreated` when notifications are on,
    /// `.polling` when the provider refused (the reason is thrown only for a dead grant).
    @discardableResult
    public func subscribe(_ account: AccountID) async throws -> Outcome {
        if let old = try await self.store.account(account)?.subscription {
            try await self.discard(old, of: account)
        }
        guard let endpoints = self.address.endpoints else {
            try await self.record(nil, for: account)
            return .polling
        }
        let clientState = Self.randomSecret()
        let request = SubscriptionRequest(
            notificationURL: endpoints.notificationURL,
            lifecycleURL: endpoints.lifecycleURL,
            clientState: clientState,
            expiration: Date().addingTimeInterval(self.lifetime.timeInterval)
        )
        var subscription: AccountSubscription
        do {
            subscription = try await self.tokens.withAccessToken(for: account) { token in
                try await self.provider.subscribe(account, request: request, accessToken: token)
            }
            subscription.notificationURL = endpoints.notificationURL
        } catch let error as MailProviderError {
            if case .reauthRequired = error { throw error }
            try await self.record(nil, for: account)
            return .polling
        }
        try await self.directory.register(subscription.id, account: account, clientState: clientState, expiresAt: subscription.expiresAt)
        try await self.record(subscription, for: account)
        return .recreated
    }

    /// One renewal pass over an account: renews a subscription expiring within the margin, recreates a lost one,
    /// and tries again to subscribe an account that runs on polling.
    public func maintain(_ account: Account, now: Date = Date()) async throws -> Outcome {
        guard [.linked, .syncing, .live, .degraded].contains(account.status), !account.provider.pushesOverConnections else { return .unchanged }
        guard let subscription = account.subscription else {
            return self.address.endpoints == nil ? .unchanged : try await self.subscribe(account.id)
        }
        if let endpoints = self.address.endpoints, subscription.notificationURL != endpoints.notificationURL {
            // The service moved (a new PUBLIC_URL, a tunnel's new address): notifications go to the old address.
            return try await self.subscribe(account.id)
        }
        if subscription.expiresAt.timeIntervalSince(now) > self.renewalMargin.timeInterval {
            // The directory holds the only copy of the secret: if it was lost, so are the notifications.
            return try await self.directory.extend(subscription.id, expiresAt: subscription.expiresAt)
                ? .unchanged : try await self.subscribe(account.id)
        }
        do {
            var renewed = try await self.tokens.withAccessToken(for: account.id) { token in
                try await self.provider.renewSubscription(
                    subscription.id,
                    of: account.id,
                    until: now.addingTimeInterval(self.lifetime.timeInterval),
                    accessToken: token
                )
            }
            renewed.notificationURL = subscription.notificationURL
            guard try await self.directory.extend(renewed.id, expiresAt: renewed.expiresAt) else {
                return try await self.subscribe(account.id)
            }
            try await self.record(renewed, for: account.id)
            return .renewed
        } catch MailProviderError.notFound {
            return try await self.subscribe(account.id)
        }
    }

    /// Answers the provider's `reauthorizationRequired`: reauthorizes, or recreates a subscription that is gone.
    public func reauthorize(_ account: AccountID) async throws -> Outcome {
        guard let subscription = try await self.store.account(account)?.subscription else { return try await self.subscribe(account) }
        do {
            try await self.tokens.withAccessToken(for: account) { token in
                try await self.provider.reauthorizeSubscription(subscription.id, of: account, accessToken: token)
            }
            return .renewed
        } catch MailProviderError.notFound {
            return try await self.subscribe(account)
        }
    }

    /// Ends an account's subscription (the account is being deleted); failures at the provider are ignored, since
    /// an unrenewed subscription ends by itself.
    public func unsubscribe(_ account: AccountID) async throws {
        guard let subscription = try await self.store.account(account)?.subscription else { return }
        try await self.discard(subscription, of: account)
        try await self.record(nil, for: account)
    }

    private func discard(_ subscription: AccountSubscription, of account: AccountID) async throws {
        try await self.directory.remove(subscription.id)
        _ = try? await self.tokens.withAccessToken(for: account) { token in
            try await self.provider.deleteSubscription(subscription.id, of: account, accessToken: token)
        }
    }

    private func record(_ subscription: AccountSubscription?, for id: AccountID) async throws {
        guard var account = try await self.store.account(id) else { return }
        account.subscription = subscription
        // Without notifications the mirror is kept by polling; the next sync with a subscription makes it live again.
        if account.status == .live { account.status = account.syncedStatus }
        account.updatedAt = Date()
        try await self.store.updateAccount(account)
    }

    /// 32 random bytes from the system's secure generator, as hex: 64 characters, within Graph's 128.
    private static func randomSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }
}
