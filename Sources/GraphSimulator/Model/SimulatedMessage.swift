internal import Foundation

/// A message in a simulated mailbox, with both of its ids: the immutable one and the REST id that changes on every move.
struct SimulatedMessage: Sendable {
    var immutableID: String
    var restID: String
    var folderID: String
    var internetMessageID: String
    var conversationID: String
    var subject: String
    var fromName: String
    var fromAddress: String
    var toRecipients: [Recipient]
    var ccRecipients: [Recipient]
    /// Only the sender's copy has them.
    var bccRecipients: [Recipient]
    var replyTo: [Recipient]
    var receivedAt: Date
    var sentAt: Date
    var createdAt: Date
    var lastModifiedAt: Date
    var changeKey: String
    var isRead: Bool
    var isDraft: Bool
    var flag: String
    var importance: String
    var body: MessageBody
    /// Kept with the body: HTML bodies would otherwise be stripped for every message of every delta page.
    var bodyPreview: String
    var attachments: [SimulatedAttachment]
    var categories: [String]
    /// The mailbox change sequence of the last change, for delta rounds.
    var changeSequence: Int

    /// Graph's `hasAttachments`: inline attachments (pictures in the body) do not count.
    var hasAttachments: Bool { self.attachments.contains { !$0.isInline } }

    /// The sender as a recipient.
    var from: Recipient { Recipient(name: self.fromName, address: self.fromAddress) }

    /// Every property Graph can return for a message, in Graph's order.
    static let propertyNames = [
        "createdDateTime", "lastModifiedDateTime", "changeKey", "categories", "receivedDateTime", "sentDateTime", "hasAttachments",
        "internetMessageId", "subject", "bodyPreview", "importance", "parentFolderId", "conversationId", "isDeliveryReceiptRequested",
        "isReadReceiptRequested", "isRead", "isDraft", "webLink", "inferenceClassification", "body", "sender", "from", "toRecipients",
        "ccRecipients", "bccRecipients", "replyTo", "flag",
    ]

    /// Every property name with its lowercased form, for `$select` matching.
    private static let propertyKeys = Self.propertyNames.map { ($0, $0.lowercased()) }

    /// The Graph JSON of the message, limited to `select` when given (`id` always comes), with the body in
    /// `bodyType` when asked (`Prefer: outlook.body-content-type`).
    func json(id: String, select: [String]?, withODataType: Bool, bodyType: MessageBody.ContentType? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = []
        if withODataType { members.append(("@odata.type", .string("#microsoft.graph.message"))) }
        members.append(("@odata.etag", .string("W/\"\(self.changeKey)\"")))
        // $select names are case-insensitive; compare lowercased keys in a set (Foundation's caseInsensitiveCompare for
        // every property of every message was most of the time spent serving a delta page).
        let wanted = select.map { Set($0.map { $0.lowercased() }) }
        for (name, key) in Self.propertyKeys where wanted?.contains(key) ?? true {
            members.append((name, self.property(name, bodyType: bodyType)))
        }
        members.append(("id", .string(id)))
        return .object(members)
    }

    private func property(_ name: String, bodyType: MessageBody.ContentType?) -> JSONValue {
        switch name {
        case "createdDateTime": return .string(GraphDate.format(self.createdAt))
        case "lastModifiedDateTime": return .string(GraphDate.format(self.lastModifiedAt))
        case "changeKey": return .string(self.changeKey)
        case "categories": return .array(self.categories.map(JSONValue.string))
        case "receivedDateTime": return .string(GraphDate.format(self.receivedAt))
        case "sentDateTime": return .string(GraphDate.format(self.sentAt))
        case "hasAttachments": return .bool(self.hasAttachments)
        case "internetMessageId": return .string(self.internetMessageID)
        case "subject": return .string(self.subject)
        case "bodyPreview": return .string(self.bodyPreview)
        case "importance": return .string(self.importance)
        case "parentFolderId": return .string(self.folderID)
        case "conversationId": return .string(self.conversationID)
        case "isDeliveryReceiptRequested", "isReadReceiptRequested": return .bool(false)
        case "isRead": return .bool(self.isRead)
        case "isDraft": return .bool(self.isDraft)
        case "webLink": return .string("https://outlook.live.com/owa/?ItemID=\(self.immutableID)&exvsurl=1&viewmodel=ReadMessageItem")
        case "inferenceClassification": return .string("focused")
        case "body":
            let body = bodyType.map(self.body.converted) ?? self.body
            return .object([("contentType", .string(body.contentType.rawValue)), ("content", .string(body.content))])
        case "sender", "from": return self.from.json
        case "toRecipients": return .array(self.toRecipients.map(\.json))
        case "ccRecipients": return .array(self.ccRecipients.map(\.json))
        case "bccRecipients": return .array(self.bccRecipients.map(\.json))
        case "replyTo": return .array(self.replyTo.map(\.json))
        case "flag": return .object([("flagStatus", .string(self.flag))])
        default: return .null
        }
    }
}
