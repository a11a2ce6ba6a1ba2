/// Where a folder delta round stands, carried whole by its `$skiptoken` so that no round is kept: the changes it reports
/// (those after `after`, or every folder for an initial round, up to `until`) and the last entry served.
struct FolderDeltaPosition: OpaqueToken, Sendable {
    var after: Int?
    var until: Int
    var generation: Int
    var lastSequence: Int?
    var lastFolderID: String?

    /// Whether an entry is yet to be served: it comes after the last one served (entries go by sequence, then folder id).
    func isUnserved(_ entry: FolderDeltaEntry) -> Bool {
        guard let lastSequence, let lastFolderID else { return true }
        return (entry.sequence, entry.folderID) > (lastSequence, lastFolderID)
    }
}
