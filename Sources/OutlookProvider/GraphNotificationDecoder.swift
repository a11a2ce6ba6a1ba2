public import Foundation
public import MailpulseCore
internal import MicrosoftGraph

/// Graph's change and lifecycle notifications (`{"value":[…]}`) as a ``NotificationBatch``: message changes
/// (`created`, `updated`, `deleted`) name their message and change key; lifecycle events (`missed`,
/// `subscriptionRemoved`, `reauthorizationRequired`) name only their subscription.
public struct GraphNotificationDecoder: NotificationDecoder {
    /// Creates a decoder.
    public init() {}

    public func decode(_ body: Data) -> NotificationBatch? {
        guard let collection = try? JSONDecoder().decode(GraphNotificationCollection.self, from: body) else { return nil }
        var items: [NotificationBatch.Item] = []
        var malformed = 0
        for notification in collection.value {
            guard let subscriptionID = notification.subscriptionId, let clientState = notification.clientState,
                let kind = Self.kind(of: notification), !kind.isMessageChange || notification.messageID != nil
            else {
                malformed += 1
                continue
            }
            items.append(
                NotificationBatch.Item(
                    claim: SubscriptionClaim(subscriptionID: subscriptionID, clientState: clientState),
                    kind: kind,
                    messageID: kind.isMessageChange ? notification.messageID : nil,
                    changeKey: kind.isMessageChange ? notification.changeKey : nil
                )
            )
        }
        return NotificationBatch(items: items, malformed: malformed)
    }

    private static func kind(of notification: GraphChangeNotification) -> ChangeHint.Kind? {
        if let event = notification.lifecycleEvent {
            return ChangeHint.Kind(rawValue: event).flatMap { $0.isMessageChange ? nil : $0 }
        }
        return notification.changeType.flatMap(ChangeHint.Kind.init(rawValue:)).flatMap { $0.isMessageChange ? $0 : nil }
    }
}
