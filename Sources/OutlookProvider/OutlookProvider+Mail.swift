internal import Foundation
public import MailpulseCore
internal import MicrosoftGraph

extension OutlookProvider {
    public func mailboxes(of account: AccountID, accessToken: String) async throws -> [Mailbox] {
        try await Self.mapped {
            var folders: [GraphMailFolder] = []
            var link: String?
            repeat {
                let page = try await self.graph.mailFolderDelta(link: link, accessToken: accessToken)
                folders += page.value
                link = page.nextLink
            } while link != nil
            // v1.0 folders carry no well-known name; ask which one the inbox is.
            let inbox: GraphMailFolder = try await self.graph.get("me/mailFolders/inbox", accessToken: accessToken, headers: [])
            return folders.map { folder in
                Mailbox(
                    accountID: account,
                    id: folder.id,
                    parentID: folder.parentFolderId,
                    displayName: folder.displayName ?? "",
                    wellKnownName: folder.id == inbox.id ? "inbox" : folder.wellKnownName,
                    totalCount: folder.totalItemCount ?? 0,
                    unreadCount: folder.unreadItemCount ?? 0,
                    isHidden: folder.isHidden ?? false
                )
            }
        }
    }

    public func messageChanges(of account: AccountID, mailbox: String, link: String?, accessToken: String) async throws -> MessageChanges {
        try await Self.mapped {
            let page = try await self.graph.messageDelta(folderID: mailbox, link: link, pageSize: self.pageSize, accessToken: accessToken)
            var upserts: [Message] = []
            var removed: [String] = []
            for item in page.value {
                if item.removed != nil {
                    removed.append(item.id)
                } else if let message = Self.message(item, account: account, folder: mailbox) {
                    upserts.append(message)
                }
            }
            return MessageChanges(upserts: upserts, removed: removed, nextLink: page.nextLink, cursor: page.deltaLink)
        }
    }

    public func message(_ id: String, of account: AccountID, accessToken: String) async throws -> Message? {
        do {
            return try await Self.mapped {
                let item = try await self.graph.message(id, accessToken: accessToken)
                return Self.message(item, account: account, folder: item.parentFolderId ?? "")
            }
        } catch MailProviderError.notFound {
            return nil
        }
    }

    /// Runs a Graph call, turning Graph's errors into the provider errors callers act on.
    static func mapped<T>(_ call: () async throws -> T) async throws -> T {
        do {
            return try await call()
        } catch let error as GraphError {
            switch error.status {
            case 401: throw MailProviderError.unauthorized(error.message)
            case 404: throw MailProviderError.notFound
            case 410: throw MailProviderError.cursorExpired
            case 429: throw MailProviderError.throttled(retryAfter: .seconds(error.retryAfter ?? 10))
            case 0 where error.code == GraphError.untrustedLinkCode: throw MailProviderError.failed(error.message)
            case 0, 500..<600: throw MailProviderError.unavailable("\(error.status) \(error.code): \(error.message)")
            default: throw MailProviderError.failed("\(error.status) \(error.code): \(error.message)")
            }
        }
    }

    /// The indexed form of a Graph message; `nil` when it lacks what the version guard needs.
    static func message(_ item: GraphMessage, account: AccountID, folder: String) -> Message? {
        guard let modified = item.lastModifiedDateTime, let received = item.receivedDateTime else { return nil }
        return Message(
            accountID: account,
            id: item.id,
            mailboxID: item.parentFolderId ?? folder,
            internetMessageID: item.internetMessageId,
            conversationID: item.conversationId,
            subject: item.subject ?? "",
            from: Self.address(item.from),
            sender: Self.address(item.sender),
            toRecipients: (item.toRecipients ?? []).compactMap(Self.address),
            ccRecipients: (item.ccRecipients ?? []).compactMap(Self.address),
            receivedAt: received.millisecondsSince1970,
            sentAt: item.sentDateTime?.millisecondsSince1970,
            isRead: item.isRead ?? false,
            isDraft: item.isDraft ?? false,
            flag: FlagStatus(rawValue: item.flag?.flagStatus ?? "") ?? .notFlagged,
            importance: Importance(rawValue: item.importance ?? "") ?? .normal,
            hasAttachments: item.hasAttachments ?? false,
            bodyPreview: item.bodyPreview ?? "",
            categories: item.categories ?? [],
            version: MessageVersion(sequence: modified.millisecondsSince1970, changeKey: item.changeKey ?? "")
        )
    }

    /// A Graph recipient as the mirror keeps it; `nil` without an address.
    static func address(_ recipient: GraphMessage.Recipient?) -> EmailAddress? {
        guard let email = recipient?.emailAddress, let address = email.address else { return nil }
        return EmailAddress(name: email.name ?? "", address: address)
    }
}
