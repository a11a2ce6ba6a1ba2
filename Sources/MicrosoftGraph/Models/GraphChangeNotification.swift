internal import Foundation

/// One item of a notification POST: a change notification (`changeType`, `resourceData`) or a lifecycle
/// notification (`lifecycleEvent`). Every field is optional, so one malformed item does not hide the others.
public struct GraphChangeNotification: Sendable, Decodable, Equatable {
    /// The part of `resourceData` a basic notification carries.
    public struct ResourceData: Sendable, Decodable, Equatable {
        public var id: String?
        public var etag: String?

        enum CodingKeys: String, CodingKey {
            case id
            case etag = "@odata.etag"
        }
    }

    public var subscriptionId: String?
    public var clientState: String?
    public var changeType: String?
    public var lifecycleEvent: String?
    public var resource: String?
    public var resourceData: ResourceData?

    /// The message id: `resourceData.id`, or for items without resource data the last id of `resource`
    /// (`Users/…/Messages/{id}` or `Users('…')/messages('{id}')`).
    public var messageID: String? {
        if let id = self.resourceData?.id, !id.isEmpty { return id }
        guard let last = self.resource?.split(separator: "/").last else { return nil }
        if let open = last.firstIndex(of: "("), last.hasSuffix(")") {
            let inner = last[last.index(after: open)..<last.index(before: last.endIndex)]
            let id = inner.trimmingCharacters(in: ["'"])
            return id.isEmpty ? nil : id
        }
        return last.isEmpty ? nil : String(last)
    }

    /// The change key inside the etag (`W/"CQAAAB…"` → `CQAAAB…`).
    public var changeKey: String? {
        guard var etag = self.resourceData?.etag else { return nil }
        if etag.hasPrefix("W/") { etag.removeFirst(2) }
        let key = etag.trimmingCharacters(in: ["\""])
        return key.isEmpty ? nil : key
    }
}
