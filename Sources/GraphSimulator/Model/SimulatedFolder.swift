/// A mail folder of a simulated mailbox.
struct SimulatedFolder: Sendable {
    var id: String
    var displayName: String
    var parentID: String
    var wellKnownName: String?
    var isHidden = false
    /// The mailbox change sequence of its creation or last rename or move, for folder delta rounds.
    var changeSequence = 0

    /// The folder's JSON with its counts, as `GET mailFolders` gives it.
    func json(childFolderCount: Int, unread: Int, total: Int) -> JSONValue {
        .object([
            ("id", .string(self.id)),
            ("displayName", .string(self.displayName)),
            ("parentFolderId", .string(self.parentID)),
            ("childFolderCount", .number(Double(childFolderCount))),
            ("unreadItemCount", .number(Double(unread))),
            ("totalItemCount", .number(Double(total))),
            ("isHidden", .bool(self.isHidden)),
        ])
    }
}
