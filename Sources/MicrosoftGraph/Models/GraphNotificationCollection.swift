/// The body Graph POSTs to a notification or lifecycle URL: `{"value": [ … ]}`.
public struct GraphNotificationCollection: Sendable, Decodable, Equatable {
    public var value: [GraphChangeNotification]
}
