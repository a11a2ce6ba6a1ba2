/// A notification POST waiting for delivery.
struct PendingNotification: Sendable {
    var url: String
    var body: JSONValue
    var isLifecycle: Bool
}
