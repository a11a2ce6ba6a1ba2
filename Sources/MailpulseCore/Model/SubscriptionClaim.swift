/// What a notification claims about itself: the subscription it came for and that subscription's secret.
public struct SubscriptionClaim: Sendable, Hashable {
    /// The provider's subscription id.
    public var subscriptionID: String
    /// The secret the notification carries (Graph's `clientState`).
    public var clientState: String

    /// Creates a claim.
    public init(subscriptionID: String, clientState: String) {
        self.subscriptionID = subscriptionID
        self.clientState = clientState
    }
}
