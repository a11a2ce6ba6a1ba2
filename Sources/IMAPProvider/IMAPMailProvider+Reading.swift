internal import Foundation
internal import IMAP
public import MailpulseCore

/// Reading: folders by LIST, an initial sync newest first in UID pages, delta rounds by CHANGEDSINCE with what
/// vanished (QRESYNC) or with the UID sets compared (servers without it); servers without CONDSTORE send every
/// message's flags each round, slower but converging the same.
extension IMAPMailProvider {
    /// The well-known names the mirror gives folders (Graph's), by SPECIAL-USE attribute: never by a folder's name,
    /// which servers localise.
    static let wellKnownNames: [String: String] = [
        "\\sent": "sentitems", "\\trash": "deleteditems", "\\junk": "junkemail", "\\drafts": "drafts", "\\archive": "archive",
        "\\all": "allmail", "\\flagged": "flagged",
    ]

    public func mailboxes(of account: AccountID, accessToken: String) async throws -> [Mailbox] {
        try await self.withSession(account, accessToken: accessToken) { session in
            let (listings, counts) = try await session.connection.mailboxesWithCounts()
            // Folders that hold no messages (a hierarchy's placeholders) are left out, and are nobody's parent.
            let selectable = listings.filter(\.isSelectable)
            let names = Set(selectable.map(\.decodedName))
            return selectable.map { listing -> Mailbox in
                let attributes = Set(listing.attributes.map { $0.lowercased() })
                let name = listing.decodedName
                let isInbox = name.uppercased() == "INBOX"
                var parentID: String?
                var displayName = isInbox ? "Inbox" : name
                if let delimiter = listing.delimiter, !delimiter.isEmpty, let cut = name.range(of: delimiter, options: .backwards) {
                    let parent = String(name[..<cut.lowerBound])
                    if names.contains(parent) { parentID = IMAPFolderID.of(parent) }
                    displayName = String(name[cut.upperBound...])
                }
                let status = counts[listing.name] ?? [:]
                return Mailbox(
                    accountID: account,
                    id: IMAPFolderID.of(name),
                    parentID: parentID,
                    displayName: displayName,
                    wellKnownName: isInbox ? "inbox" : attributes.lazy.compactMap { Self.wellKnownNames[$0] }.first,
                    totalCount: Int(clamping: status["MESSAGES"] ?? 0),
                    unreadCount: Int(clamping: status["UNSEEN"] ?? 0)
                )
            }
        }
    }

    public func messageChanges(of account: AccountID, mailbox: String, link: String?, accessToken: String) async throws -> MessageChanges {
        guard let folder = IMAPFolderID.name(of: mailbox) else { throw MailProviderError.notFound }
        let cursor = try link.map { text in
            guard let cursor = IMAPSyncCursor(text: text) else { throw MailProviderError.cursorExpired }
            return cursor
        }
        let pageSize = self.configuration.pageSize
        return try await self.withSession(account, accessToken: accessToken) { session in
            let selected = try await session.connection.select(folder, readOnly: true)
            if let cursor, cursor.uidValidity != selected.uidValidity {
                // Every UID of the folder is void: the engine starts it over and sweeps what the new round does not name.
                throw MailProviderError.cursorExpired
            }
            let round = IMAPFolderRound(session: session, account: account, folderID: mailbox, selected: selected)
            if let cursor, cursor.below == nil {
                return try await round.delta(from: cursor)
            }
            return try await round.initialPage(from: cursor, pageSize: pageSize)
        }
    }

    public func message(_ id: String, of account: AccountID, accessToken: String) async throws -> Message? {
        guard let identity = IMAPMessageID(id), let folder = IMAPFolderID.name(of: identity.folderID) else { return nil }
        return try await self.withSession(account, accessToken: accessToken) { session in
            let selected: IMAPSelectedMailbox
            do {
                selected = try await session.connection.select(folder, readOnly: true)
            } catch IMAPError.refused {
                // The folder is gone, and the message with it.
                return nil
            }
            guard selected.uidValidity == identity.uidValidity, selected.exists > 0 else { return nil }
            let fetched = try await session.connection.fetch(
                UIDSet([identity.uid...identity.uid]),
                items: IMAPMessageMapping.items(session.capabilities)
            )
            return fetched.lazy.filter { $0.uid == identity.uid }
                .compactMap {
                    IMAPMessageMapping.message($0, account: account, folderID: identity.folderID, uidValidity: identity.uidValidity)
                }
                .first
        }
    }
}
