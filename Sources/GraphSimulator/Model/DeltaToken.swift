/// What a `$deltatoken` stands for: a folder, the change sequence its round started at, and the round's `$select`.
/// A folder delta's token names the root folder: its rounds cover the tree beneath it.
struct DeltaToken: OpaqueToken, Sendable {
    var folderID: String
    var sequence: Int
    var generation: Int
    var select: [String]?
}
