public import Foundation

extension Duration {
    /// The duration in seconds, for `Date` arithmetic.
    public var timeInterval: TimeInterval {
        Double(self.components.seconds) + Double(self.components.attoseconds) / 1e18
    }

    /// The whole seconds an HTTP `Retry-After` gives for this wait: rounded up, at least 1.
    public var retryAfterSeconds: Int {
        max(1, Int(self.timeInterval.rounded(.up)))
    }
}
