public import Foundation

/// What to ask the provider for when subscribing to an account's mail changes.
public struct SubscriptionRequest: Sendable, Equatable {
    /// Where the provider posts change notifications.
    public var notificationURL: String
    /// Where the provider posts lifecycle notifications.
    public var lifecycleURL: String
    /// The shared secret echoed in every notification.
    public var clientState: String
    /// The expiry asked for; the provider may grant less, and says so in its answer.
    public var expiration: Date

    /// Creates a request.
    public init(notificationURL: String, lifecycleURL: String, clientState: String, expiration: Date) {
        self.notificationURL = notificationURL
        self.lifecycleURL = lifecycleURL
        self.clientState = clientState
        self.expiration = expiration
    }
}
