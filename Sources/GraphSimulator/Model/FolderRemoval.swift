/// A message that left a folder (moved out or deleted) at a point of the mailbox's change sequence.
struct FolderRemoval: Sendable {
    var sequence: Int
    var folderID: String
    var immutableID: String
    var restID: String
}
