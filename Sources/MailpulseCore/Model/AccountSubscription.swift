public import Foundation

/// An account's change-notification subscription at the provider: its id and when it ends unless renewed.
///
/// The subscription's shared secret (`clientState`) is not kept here: only the ``SubscriptionDirectory`` holds
/// its hash, so the store never holds a secret that would let someone forge notifications.
public struct AccountSubscription: Sendable, Equatable, Codable {
    /// The provider's subscription id.
    public var id: String
    /// When the provider ends the subscription unless it is renewed.
    public var expiresAt: Date
    /// Where the provider sends its notifications; `nil` when not known (a subscription made before it was kept).
    /// A subscription to another address than the service's current one is replaced at the next renewal pass.
    public var notificationURL: String?

    /// Creates a subscription record.
    public init(id: String, expiresAt: Date, notificationURL: String? = nil) {
        self.id = id
        self.expiresAt = expiresAt
        self.notificationURL = notificationURL
    }
}
