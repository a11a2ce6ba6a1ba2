internal import Foundation

/// A `fileAttachment` of a simulated message: its bytes and what Graph says of them.
struct SimulatedAttachment: Sendable {
    var id: String
    var name: String
    var contentType: String
    var isInline: Bool
    var contentID: String?
    var bytes: Data
    var lastModifiedAt: Date

    /// Graph's `size`, in bytes.
    var size: Int { self.bytes.count }

    /// Every property Graph can return for a file attachment, in Graph's order.
    static let propertyNames = ["lastModifiedDateTime", "name", "contentType", "size", "isInline", "contentId", "contentLocation", "contentBytes"]

    /// The Graph JSON of the attachment, limited to `select` when given (`@odata.type` and `id` always come).
    func json(select: [String]?) -> JSONValue {
        var members: [(String, JSONValue)] = [("@odata.type", .string("#microsoft.graph.fileAttachment"))]
        if select == nil { members.append(("@odata.mediaContentType", .string(self.contentType))) }
        members.append(("id", .string(self.id)))
        let wanted = select.map { Set($0.map { $0.lowercased() }) }
        for name in Self.propertyNames where wanted?.contains(name.lowercased()) ?? true {
            members.append((name, self.property(name)))
        }
        return .object(members)
    }

    private func property(_ name: String) -> JSONValue {
        switch name {
        case "lastModifiedDateTime": .string(GraphDate.format(self.lastModifiedAt))
        case "name": .string(self.name)
        case "contentType": .string(self.contentType)
        case "size": .number(Double(self.size))
        case "isInline": .bool(self.isInline)
        case "contentId": self.contentID.map(JSONValue.string) ?? .null
        case "contentBytes": .string(self.bytes.base64EncodedString())
        default: .null
        }
    }
}
