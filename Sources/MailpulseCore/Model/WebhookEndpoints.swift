/// The public URLs at which the provider reaches this deployment's webhooks.
public struct WebhookEndpoints: Sendable, Equatable {
    /// The change-notification URL.
    public var notificationURL: String
    /// The lifecycle-notification URL.
    public var lifecycleURL: String

    /// The endpoints of the webhook route `path` (its lifecycle route is `path/lifecycle`) under a public base URL
    /// (for example `https://mail.example.com`).
    public init(publicURL: String, path: String) {
        let base = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        self.notificationURL = "\(base)/\(path)"
        self.lifecycleURL = "\(base)/\(path)/lifecycle"
    }
}
