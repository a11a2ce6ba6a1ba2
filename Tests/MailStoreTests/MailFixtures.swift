import Foundation
import MailpulseCore

/// Builds messages and accounts for store tests.
enum MailFixtures {
    static func account(_ id: AccountID = .random(), status: AccountStatus = .pending) -> Account {
        Account(
            id: id,
            provider: .outlook,
            status: status,
            createdAt: .init(timeIntervalSince1970: 1_700_000_000),
            updatedAt: .init(timeIntervalSince1970: 1_700_000_000)
        )
    }

    /// A new account, created in the store: stores refuse mail of accounts they do not hold.
    static func createdAccount(in store: any MailStore) async throws -> AccountID {
        let account = Self.account()
        try await store.createAccount(account)
        return account.id
    }

    static func message(
        _ id: String,
        account: AccountID,
        mailbox: String = "inbox",
        subject: String? = nil,
        from: EmailAddress = EmailAddress(name: "Ada Lovelace", address: "ada@example.com"),
        receivedAt: Int64 = 1_700_000_000_000,
        modifiedAt: Int64 = 1_700_000_000_000,
        isRead: Bool = false,
        preview: String = "Notes on the analytical engine"
    ) -> Message {
        Message(
            accountID: account,
            id: id,
            mailboxID: mailbox,
            internetMessageID: "<\(id)@example.com>",
            conversationID: "conversation-\(id)",
            subject: subject ?? "Subject \(id)",
            from: from,
            sender: from,
            toRecipients: [EmailAddress(name: "Me", address: "me@example.com")],
            ccRecipients: [],
            receivedAt: receivedAt,
            sentAt: receivedAt - 1000,
            isRead: isRead,
            flag: .notFlagged,
            importance: .normal,
            hasAttachments: false,
            bodyPreview: preview,
            categories: ["Blue"],
            version: MessageVersion(sequence: modifiedAt, changeKey: "ck-\(id)-\(modifiedAt)")
        )
    }
}
