/// A notification POST waiting for delivery.
struct PendingNotification: Sendable {
    var url: String
    var body: JSONValue
    var isLifecycle: Bool
}

extension PendingNotification {
    /// A notification collection holding one notification: `{"value":[{…}]}`.
    static func collection(_ members: [(String, JSONValue)]) -> JSONValue {
        .object([("value", .array([.object(members)]))])
    }
}
