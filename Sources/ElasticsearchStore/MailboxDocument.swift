internal import MailpulseCore

/// A folder as a document of the mailboxes index.
struct MailboxDocument: Codable {
    var accountId: String
    var id: String
    var parentId: String?
    var displayName: String
    var wellKnownName: String?
    var totalCount: Int
    var unreadCount: Int
    var isHidden: Bool

    init(_ mailbox: Mailbox) {
        self.accountId = mailbox.accountID.description
        self.id = mailbox.id
        self.parentId = mailbox.parentID
        self.displayName = mailbox.displayName
        self.wellKnownName = mailbox.wellKnownName
        self.totalCount = mailbox.totalCount
        self.unreadCount = mailbox.unreadCount
        self.isHidden = mailbox.isHidden
    }

    func mailbox(of account: AccountID) -> Mailbox {
        Mailbox(
            accountID: account,
            id: self.id,
            parentID: self.parentId,
            displayName: self.displayName,
            wellKnownName: self.wellKnownName,
            totalCount: self.totalCount,
            unreadCount: self.unreadCount,
            isHidden: self.isHidden
        )
    }
}
