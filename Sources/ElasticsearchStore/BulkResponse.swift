internal import Foundation

/// What a `_bulk` answer says of each operation, in the order they were sent.
struct BulkResponse: Decodable {
    /// The result of one operation.
    struct Item: Decodable, Equatable {
        struct Failure: Decodable, Equatable {
            var type: String
            var reason: String?
        }

        var id: String
        var status: Int
        var error: Failure?

        private enum CodingKeys: String, CodingKey {
            case id = "_id"
            case status, error
        }

        /// The operation was refused because the stored version is newer: the write is stale, not failed.
        var isVersionConflict: Bool { self.status == 409 }
        /// Refused for load (the write queue is full): worth sending again.
        var isRejected: Bool { self.status == 429 }
        var succeeded: Bool { (200..<300).contains(self.status) }
    }

    var items: [Item]

    private enum CodingKeys: String, CodingKey {
        case items
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // Each item is keyed by its action: {"index":{…}}, {"create":{…}}, {"delete":{…}} or {"update":{…}}.
        self.items = try container.decode([[String: Item]].self, forKey: .items).compactMap(\.values.first)
    }
}
