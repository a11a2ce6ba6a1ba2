public import MailpulseCore
internal import Synchronization

/// Where the provider reaches this node's webhooks now: fixed by configuration, or moved when a tunnel's public
/// address changes. Subscriptions to another address are replaced by the next renewal pass.
public final class WebhookAddress: Sendable {
    private let current: Mutex<WebhookEndpoints?>

    /// Starts at `endpoints`; `nil` means no webhooks (every account is polled).
    public init(_ endpoints: WebhookEndpoints?) {
        self.current = Mutex(endpoints)
    }

    /// The endpoints now, or `nil` without webhooks.
    public var endpoints: WebhookEndpoints? {
        self.current.withLock { $0 }
    }

    /// Moves the webhooks to `endpoints`; answers whether that changed anything.
    @discardableResult
    public func move(to endpoints: WebhookEndpoints) -> Bool {
        self.current.withLock { current in
            guard current != endpoints else { return false }
            current = endpoints
            return true
        }
    }
}
