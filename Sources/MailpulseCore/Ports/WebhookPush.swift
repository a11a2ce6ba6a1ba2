public import Foundation

/// Changes pushed through webhook subscriptions the provider keeps for a while and must be renewed (Graph's).
public protocol WebhookPush: Sendable {
    /// Subscribes to changes of every message of the account's mailbox; the provider checks the URLs before it
    /// answers. The answer holds the expiry the provider granted.
    func subscribe(_ account: AccountID, request: SubscriptionRequest, accessToken: String) async throws -> AccountSubscription
    /// Renews a subscription; throws ``MailProviderError/notFound`` when the provider no longer has it.
    func renewSubscription(_ id: String, of account: AccountID, until expiration: Date, accessToken: String) async throws -> AccountSubscription
    /// Reauthorizes a subscription the provider asked about; throws ``MailProviderError/notFound`` when it is gone.
    func reauthorizeSubscription(_ id: String, of account: AccountID, accessToken: String) async throws
    /// Deletes a subscription; one already gone is not an error.
    func deleteSubscription(_ id: String, of account: AccountID, accessToken: String) async throws
}
