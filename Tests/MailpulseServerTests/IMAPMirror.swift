import Foundation
import MailpulseCore
import TestSupport

/// A Dovecot user's mail as the server has it and as the mirror has it, in one comparable form: one line per message,
/// `folder uidvalidity uid read flagged`.
enum IMAPMirror {
    /// What the server holds, read with `doveadm` (out of band, as another client would see it).
    static func truth(_ server: DovecotTestServer, user: String) async throws -> Set<String> {
        var validities: [String: String] = [:]
        for line in try await server.doveadm(["-f", "tab", "mailbox", "status", "-u", user, "uidvalidity", "*"]).split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if fields.count == 2 { validities[fields[0]] = fields[1] }
        }
        var lines: Set<String> = []
        for line in try await server.doveadm(["-f", "tab", "fetch", "-u", user, "mailbox uid flags", "all"]).split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3 else { continue }
            let flags = Set(fields[2].split(separator: " ").map { $0.lowercased() })
            lines.insert("\(fields[0]) \(validities[fields[0]] ?? "?") \(fields[1]) \(flags.contains("\\seen")) \(flags.contains("\\flagged"))")
        }
        return lines
    }

    /// What the mirror holds for the account (folder names as the server writes them: the inbox is INBOX).
    static func mirror(_ store: any MailStore, account: AccountID) async throws -> Set<String> {
        var lines: Set<String> = []
        for folder in try await store.mailboxes(of: account) {
            let name = folder.wellKnownName == "inbox" ? "INBOX" : folder.displayName
            var cursor: PageCursor?
            repeat {
                let page = try await store.messages(MessageQuery(accountID: account, mailboxID: folder.id, limit: 1_000, cursor: cursor))
                for message in page.messages {
                    let parts = message.id.split(separator: ".")
                    let (validity, uid) = parts.count == 3 ? (String(parts[1]), String(parts[2])) : ("?", message.id)
                    lines.insert("\(name) \(validity) \(uid) \(message.isRead) \(message.flag == .flagged)")
                }
                cursor = page.next
            } while cursor != nil
        }
        return lines
    }

    /// Saves `count` messages into a folder, each with its own Message-ID (`<prefix>-n`).
    static func deliver(_ server: DovecotTestServer, user: String, folder: String = "INBOX", prefix: String, count: Int) async throws {
        for number in 1...count {
            try await server.doveadm(
                ["save", "-u", user, "-m", folder],
                input: Self.message("\(prefix) \(number)", id: "\(prefix)-\(number)", to: user)
            )
        }
    }

    /// A message from Ada to `user`, its Message-ID `<id@example.com>`.
    static func message(_ subject: String, id: String, to user: String) -> String {
        "From: Ada <ada@example.com>\r\nTo: \(user)\r\nSubject: \(subject)\r\nMessage-ID: <\(id)@example.com>\r\n"
            + "Date: Wed, 25 Nov 2026 10:00:00 +0000\r\n\r\nBody of \(subject).\r\n"
    }
}
