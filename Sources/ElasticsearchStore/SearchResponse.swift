internal import Foundation

/// The part of a `_search` answer Mailpulse reads: the hits' sources.
struct SearchResponse<Source: Decodable>: Decodable {
    struct Hits: Decodable {
        var hits: [Hit]
    }

    struct Hit: Decodable {
        var id: String
        var source: Source

        private enum CodingKeys: String, CodingKey {
            case id = "_id"
            case source = "_source"
        }
    }

    var hits: Hits
}
