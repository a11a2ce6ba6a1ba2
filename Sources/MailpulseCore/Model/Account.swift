public import Foundation

/// A local Mailpulse account and the provider mailbox linked to it.
///
/// Tokens are not part of this value: they live sealed in the store and are reached through ``TokenVault``,
/// so an `Account` can be logged or serialized without leaking a secret.
public struct Account: Sendable, Equatable, Codable {
    /// The local id; every document of this account carries it.
    public var id: AccountID
    /// The provider the account links to.
    public var provider: MailProviderKind
    /// Where the account stands.
    public var status: AccountStatus
    /// The provider identity, once linked.
    public var identity: AccountIdentity?
    /// When the account was created.
    public var createdAt: Date
    /// When the account last changed.
    public var updatedAt: Date
    /// When a sync of this account last completed.
    public var lastSyncedAt: Date?
    /// The provider's change-notification subscription, when the account has one.
    public var subscription: AccountSubscription?

    /// Whether the provider pushes this account's changes to Mailpulse (a webhook subscription, or a watcher's
    /// long-lived connection for providers that push that way): then it is ``AccountStatus/live`` once synced, and
    /// ``AccountStatus/degraded`` (polled) when not.
    public var isPushed: Bool { self.subscription != nil || self.provider.pushesOverConnections }

    /// The status a completed sync leaves the account in.
    public var syncedStatus: AccountStatus { self.isPushed ? .live : .degraded }

    /// Creates an account.
    public init(
        id: AccountID,
        provider: MailProviderKind,
        status: AccountStatus,
        identity: AccountIdentity? = nil,
        createdAt: Date,
        updatedAt: Date,
        lastSyncedAt: Date? = nil,
        subscription: AccountSubscription? = nil
    ) {
        self.id = id
        self.provider = provider
        self.status = status
        self.identity = identity
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.lastSyncedAt = lastSyncedAt
        self.subscription = subscription
    }
}
