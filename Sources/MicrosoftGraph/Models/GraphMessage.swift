public import Foundation

/// A message as Graph returns it, with the fields Mailpulse indexes; every field but `id` may be absent
/// (`$select`, delta items that carry only what changed, `@removed` entries).
public struct GraphMessage: Sendable, Decodable, Equatable {
    /// `{"emailAddress":{"name","address"}}`.
    public struct Recipient: Sendable, Decodable, Equatable {
        public struct Address: Sendable, Decodable, Equatable {
            public var name: String?
            public var address: String?
        }

        public var emailAddress: Address?
    }

    /// `{"flagStatus": …}`.
    public struct Flag: Sendable, Decodable, Equatable {
        public var flagStatus: String?
    }

    /// The `@removed` marker of a delta item.
    public struct Removed: Sendable, Decodable, Equatable {
        public var reason: String?
    }

    public var id: String
    public var removed: Removed?
    public var createdDateTime: Date?
    public var lastModifiedDateTime: Date?
    public var changeKey: String?
    public var categories: [String]?
    public var receivedDateTime: Date?
    public var sentDateTime: Date?
    public var hasAttachments: Bool?
    public var internetMessageId: String?
    public var subject: String?
    public var bodyPreview: String?
    public var importance: String?
    public var parentFolderId: String?
    public var conversationId: String?
    public var isRead: Bool?
    public var isDraft: Bool?
    public var sender: Recipient?
    public var from: Recipient?
    public var toRecipients: [Recipient]?
    public var ccRecipients: [Recipient]?
    public var flag: Flag?

    /// The `$select` list that fetches exactly these fields.
    public static let selectList = [
        "id", "createdDateTime", "lastModifiedDateTime", "changeKey", "categories", "receivedDateTime", "sentDateTime", "hasAttachments",
        "internetMessageId", "subject", "bodyPreview", "importance", "parentFolderId", "conversationId", "isRead", "isDraft", "sender",
        "from", "toRecipients", "ccRecipients", "flag",
    ].joined(separator: ",")

    enum CodingKeys: String, CodingKey {
        case id
        case removed = "@removed"
        case createdDateTime, lastModifiedDateTime, changeKey, categories, receivedDateTime, sentDateTime, hasAttachments
        case internetMessageId, subject, bodyPreview, importance, parentFolderId, conversationId, isRead, isDraft, sender, from
        case toRecipients, ccRecipients, flag
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.id = try container.decode(String.self, forKey: .id)
        self.removed = try container.decodeIfPresent(Removed.self, forKey: .removed)
        self.createdDateTime = try Self.date(container, .createdDateTime)
        self.lastModifiedDateTime = try Self.date(container, .lastModifiedDateTime)
        self.changeKey = try container.decodeIfPresent(String.self, forKey: .changeKey)
        self.categories = try container.decodeIfPresent([String].self, forKey: .categories)
        self.receivedDateTime = try Self.date(container, .receivedDateTime)
        self.sentDateTime = try Self.date(container, .sentDateTime)
        self.hasAttachments = Self.bool(container, .hasAttachments)
        self.internetMessageId = try container.decodeIfPresent(String.self, forKey: .internetMessageId)
        self.subject = try container.decodeIfPresent(String.self, forKey: .subject)
        self.bodyPreview = try container.decodeIfPresent(String.self, forKey: .bodyPreview)
        self.importance = try container.decodeIfPresent(String.self, forKey: .importance)
        self.parentFolderId = try container.decodeIfPresent(String.self, forKey: .parentFolderId)
        self.conversationId = try container.decodeIfPresent(String.self, forKey: .conversationId)
        self.isRead = Self.bool(container, .isRead)
        self.isDraft = Self.bool(container, .isDraft)
        self.sender = try container.decodeIfPresent(Recipient.self, forKey: .sender)
        self.from = try container.decodeIfPresent(Recipient.self, forKey: .from)
        self.toRecipients = try container.decodeIfPresent([Recipient].self, forKey: .toRecipients)
        self.ccRecipients = try container.decodeIfPresent([Recipient].self, forKey: .ccRecipients)
        self.flag = try container.decodeIfPresent(Flag.self, forKey: .flag)
    }

    /// Booleans as Graph documents them, and as its docs sometimes print them (`"isRead": "true"`).
    private static func bool(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) -> Bool? {
        if let value = try? container.decodeIfPresent(Bool.self, forKey: key) { return value }
        if let text = try? container.decodeIfPresent(String.self, forKey: key) { return Bool(text.lowercased()) }
        return nil
    }

    private static func date(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> Date? {
        guard let text = try container.decodeIfPresent(String.self, forKey: key) else { return nil }
        return GraphDates.parse(text)
    }
}

/// Graph's ISO 8601 UTC timestamps, with or without fractional seconds.
enum GraphDates {
    static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
