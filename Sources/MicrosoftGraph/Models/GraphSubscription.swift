public import Foundation

/// A change-notification subscription as Graph returns it.
public struct GraphSubscription: Sendable, Decodable, Equatable {
    public var id: String
    public var resource: String
    public var changeType: String
    public var notificationUrl: String
    public var lifecycleNotificationUrl: String?
    public var clientState: String?
    public var expirationDateTime: Date

    enum CodingKeys: String, CodingKey {
        case id, resource, changeType, notificationUrl, lifecycleNotificationUrl, clientState, expirationDateTime
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.id = try container.decode(String.self, forKey: .id)
        self.resource = try container.decode(String.self, forKey: .resource)
        self.changeType = try container.decode(String.self, forKey: .changeType)
        self.notificationUrl = try container.decode(String.self, forKey: .notificationUrl)
        self.lifecycleNotificationUrl = try container.decodeIfPresent(String.self, forKey: .lifecycleNotificationUrl)
        self.clientState = try container.decodeIfPresent(String.self, forKey: .clientState)
        let text = try container.decode(String.self, forKey: .expirationDateTime)
        guard let date = GraphDates.parse(text) else {
            throw DecodingError.dataCorruptedError(forKey: .expirationDateTime, in: container, debugDescription: "not a date: \(text)")
        }
        self.expirationDateTime = date
    }
}
