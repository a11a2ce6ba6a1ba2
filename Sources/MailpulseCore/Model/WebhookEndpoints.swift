/// The public URLs at which the provider reaches this deployment's webhooks.
public struct WebhookEndpoints: Sendable, Equatable {
    /// The change-notification URL.
    public var notificationURL: String
    /// The lifecycle-notification URL.
    public var lifecycleURL: String

    /// The endpoints under a public base URL (for example `https://mail.example.com`).
    public init(publicURL: String) {
        let base = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        self.notificationURL = "\(base)/webhooks/graph"
        self.lifecycleURL = "\(base)/webhooks/graph/lifecycle"
    }
}
