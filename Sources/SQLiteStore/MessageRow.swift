internal import Foundation
internal import GRDB
internal import MailpulseCore

/// The column values of one `messages` row, prepared off the writer's thread.
struct MessageRow {
    /// The written columns in statement order; the first two are the conflict key.
    static let columns = [
        "account_id", "id", "mailbox_id", "internet_message_id", "conversation_id", "subject", "from_name", "from_address",
        "sender_name", "sender_address", "to_recipients", "cc_recipients", "received_at", "sent_at", "is_read", "is_draft",
        "flag", "importance", "has_attachments", "body_preview", "categories", "modified_at", "change_key",
    ]

    let id: String
    let accountID: String
    let version: MessageVersion
    let arguments: StatementArguments

    init(_ message: Message) throws {
        self.id = message.id
        self.accountID = message.accountID.description
        self.version = message.version
        self.arguments = [
            message.accountID.description, message.id, message.mailboxID, message.internetMessageID, message.conversationID,
            message.subject, message.from?.name, message.from?.address, message.sender?.name, message.sender?.address,
            try Self.json(message.toRecipients), try Self.json(message.ccRecipients), message.receivedAt, message.sentAt,
            message.isRead, message.isDraft, message.flag.rawValue, message.importance.rawValue, message.hasAttachments,
            message.bodyPreview, try Self.json(message.categories), message.version.sequence, message.version.changeKey,
        ]
    }

    static func message(from row: Row) throws -> Message {
        let accountText: String = row["account_id"]
        guard let accountID = AccountID(accountText) else {
            throw MailStoreError.unavailable("message row with account \(accountText) is unreadable")
        }
        return Message(
            accountID: accountID,
            id: row["id"],
            mailboxID: row["mailbox_id"],
            internetMessageID: row["internet_message_id"],
            conversationID: row["conversation_id"],
            subject: row["subject"],
            from: Self.address(row["from_name"], row["from_address"]),
            sender: Self.address(row["sender_name"], row["sender_address"]),
            toRecipients: try Self.decode(row["to_recipients"]),
            ccRecipients: try Self.decode(row["cc_recipients"]),
            receivedAt: row["received_at"],
            sentAt: row["sent_at"],
            isRead: row["is_read"],
            isDraft: row["is_draft"],
            flag: FlagStatus(rawValue: row["flag"]) ?? .notFlagged,
            importance: Importance(rawValue: row["importance"]) ?? .normal,
            hasAttachments: row["has_attachments"],
            bodyPreview: row["body_preview"],
            categories: try Self.decode(row["categories"]),
            version: MessageVersion(sequence: row["modified_at"], changeKey: row["change_key"])
        )
    }

    private static func address(_ name: String?, _ address: String?) -> EmailAddress? {
        guard let address else { return nil }
        return EmailAddress(name: name ?? "", address: address)
    }

    private static func json(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    private static func decode<T: Decodable>(_ text: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }
}
