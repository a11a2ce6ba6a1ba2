/// A message's id in the mirror: its folder, the folder's UIDVALIDITY and its UID, the identity IMAP gives a message
/// (`<folder id>.<uidvalidity>.<uid>`; the folder id's alphabet has no dot).
struct IMAPMessageID: Equatable, CustomStringConvertible {
    /// The folder's id (``IMAPFolderID``).
    var folderID: String
    /// The folder's UIDVALIDITY when the UID was given.
    var uidValidity: UInt32
    /// The message's UID in the folder.
    var uid: UInt32

    /// Reads an id; `nil` for anything else.
    init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let validity = UInt32(parts[1]), let uid = UInt32(parts[2]), uid > 0 else { return nil }
        self.init(folderID: String(parts[0]), uidValidity: validity, uid: uid)
    }

    /// An id.
    init(folderID: String, uidValidity: UInt32, uid: UInt32) {
        self.folderID = folderID
        self.uidValidity = uidValidity
        self.uid = uid
    }

    var description: String { "\(self.folderID).\(self.uidValidity).\(self.uid)" }
}
