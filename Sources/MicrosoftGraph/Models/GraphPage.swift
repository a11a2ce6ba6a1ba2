/// One page of a Graph collection or delta round: its items, then a nextLink, or (the last page of a delta round) a deltaLink.
public struct GraphPage<Item: Decodable & Sendable>: Sendable, Decodable {
    public var value: [Item]
    public var nextLink: String?
    public var deltaLink: String?

    enum CodingKeys: String, CodingKey {
        case value
        case nextLink = "@odata.nextLink"
        case deltaLink = "@odata.deltaLink"
    }
}
