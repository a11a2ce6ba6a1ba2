/// A `_search` answer with `size: 0`, `track_total_hits` and an `unread` filter aggregation.
struct CountResponse: Decodable {
    struct Hits: Decodable {
        struct Total: Decodable {
            var value: Int
        }

        var total: Total
    }

    struct Aggregations: Decodable {
        struct Bucket: Decodable {
            var docCount: Int

            private enum CodingKeys: String, CodingKey {
                case docCount = "doc_count"
            }
        }

        var unread: Bucket
    }

    var hits: Hits
    var aggregations: Aggregations
}
