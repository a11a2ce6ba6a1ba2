/// An attachment's description as Graph lists it (`$select=id,name,contentType,size,isInline`, no bytes).
public struct GraphAttachment: Sendable, Decodable, Equatable {
    public var id: String
    public var name: String?
    public var contentType: String?
    public var size: Int?
    public var isInline: Bool?

    /// The `$select` list that leaves the bytes out.
    public static let selectList = "id,name,contentType,size,isInline"
}
