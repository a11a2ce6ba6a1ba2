/// A `GET <index>/_doc/<id>` answer: the source when the document was found.
struct GetResponse<Source: Decodable>: Decodable {
    var found: Bool
    var source: Source?

    private enum CodingKeys: String, CodingKey {
        case found
        case source = "_source"
    }
}
