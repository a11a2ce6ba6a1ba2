/// A folder deleted for good at a point of the mailbox's change sequence, for folder delta rounds.
struct FolderDeletion: Sendable {
    var sequence: Int
    var folderID: String
}
