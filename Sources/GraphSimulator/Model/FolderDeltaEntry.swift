/// An entry of a folder delta round: a folder created, renamed or moved (served as it is now), or one deleted for good.
enum FolderDeltaEntry: Sendable {
    case changed(SimulatedFolder)
    case deleted(FolderDeletion)

    /// The change sequence that put the entry in its round.
    var sequence: Int {
        switch self {
        case .changed(let folder): folder.changeSequence
        case .deleted(let deletion): deletion.sequence
        }
    }

    var folderID: String {
        switch self {
        case .changed(let folder): folder.id
        case .deleted(let deletion): deletion.folderID
        }
    }
}
