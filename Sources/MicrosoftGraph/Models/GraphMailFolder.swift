/// A mail folder as Graph returns it.
public struct GraphMailFolder: Sendable, Decodable, Equatable {
    public var id: String
    public var displayName: String?
    public var parentFolderId: String?
    public var childFolderCount: Int?
    public var unreadItemCount: Int?
    public var totalItemCount: Int?
    public var isHidden: Bool?
    /// Beta only; absent in v1.0.
    public var wellKnownName: String?
}
