internal import Hummingbird
internal import Metrics

/// What the webhook intake did with one POST (Graph ignores the body; people and tests read it).
struct WebhookIntakeReport: ResponseEncodable, Equatable {
    /// Notifications accepted (queued, or joined to a waiting entry for the same message).
    var accepted = 0
    /// New queue entries (the rest of the accepted ones were coalesced).
    var queued = 0
    /// Notifications of no known subscription: dropped.
    var unknownSubscription = 0
    /// Notifications whose clientState did not match their subscription's: dropped.
    var clientStateMismatch = 0
    /// Items that are not notifications Mailpulse understands (no subscription id, unknown change type…): dropped.
    var malformed = 0

    /// Adds the counts to `mailpulse_webhook_notifications_total`, by result.
    func record() {
        let results = [
            ("accepted", self.accepted), ("queued", self.queued), ("unknown_subscription", self.unknownSubscription),
            ("client_state_mismatch", self.clientStateMismatch), ("malformed", self.malformed),
        ]
        for (result, count) in results where count > 0 {
            Counter(label: "mailpulse_webhook_notifications_total", dimensions: [("result", result)]).increment(by: count)
        }
    }
}
