internal import Foundation
internal import Hummingbird
internal import MailpulseCore

/// The account's mirror as the pages read it: its folders, a page of its messages (by folder, by full-text search),
/// and its recent events with the sequence number to resume the live socket from.
struct MirrorController: Sendable {
    /// A folder and what the mirror holds of it.
    struct MailboxDTO: Encodable {
        var id: String
        var parentID: String?
        var displayName: String
        var wellKnownName: String?
        /// The provider's counts of the folder.
        var totalCount: Int
        var unreadCount: Int
        var isHidden: Bool
        /// The live messages stored for the folder.
        var stored: MessageCounts

        init(_ mailbox: Mailbox, stored: MessageCounts) {
            self.id = mailbox.id
            self.parentID = mailbox.parentID
            self.displayName = mailbox.displayName
            self.wellKnownName = mailbox.wellKnownName
            self.totalCount = mailbox.totalCount
            self.unreadCount = mailbox.unreadCount
            self.isHidden = mailbox.isHidden
            self.stored = stored
        }
    }

    /// `GET /api/accounts/{id}/mailboxes` answer.
    struct MailboxList: ResponseEncodable {
        var mailboxes: [MailboxDTO]
    }

    /// `GET /api/accounts/{id}/messages` answer: a page, newest first (a conversation oldest first), and the cursor of the
    /// next one.
    struct MessageList: ResponseEncodable {
        private enum CodingKeys: String, CodingKey {
            case messages, next
        }

        var messages: [Message]
        var next: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(self.messages, forKey: .messages)
            // `null` on the last page, rather than no field.
            try container.encode(self.next, forKey: .next)
        }
    }

    /// The largest page of messages one request may ask for.
    static let maximumPageSize = 200
    /// The longest search text accepted.
    static let maximumSearchLength = 256

    let store: any MailStore
    let events: any AccountEventLog

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("api/accounts/:id/mailboxes", use: self.mailboxes)
        routes.get("api/accounts/:id/messages", use: self.messages)
        routes.get("api/accounts/:id/events", use: self.recentEvents)
        return routes
    }

    @Sendable func mailboxes(_ request: Request, context: AppRequestContext) async throws -> MailboxList {
        let account = try await AccountCredentials.authenticate(request, context: context, store: self.store)
        var list: [MailboxDTO] = []
        for mailbox in try await self.store.mailboxes(of: account.id) {
            list.append(MailboxDTO(mailbox, stored: try await self.store.counts(of: account.id, mailbox: mailbox.id)))
        }
        return MailboxList(mailboxes: list)
    }

    @Sendable func messages(_ request: Request, context: AppRequestContext) async throws -> MessageList {
        let account = try await AccountCredentials.authenticate(request, context: context, store: self.store)
        let parameters = request.uri.queryParameters
        var query = MessageQuery(accountID: account.id)
        if let mailbox = parameters["mailbox"].map(String.init), !mailbox.isEmpty {
            query.mailboxID = mailbox
        }
        // A conversation reads as it happened: oldest first.
        if let conversation = parameters["conversation"].map(String.init), !conversation.isEmpty {
            guard conversation.utf8.count <= 1024 else { throw HTTPError(.badRequest, message: "conversation must be at most 1024 bytes") }
            query.conversationID = conversation
            query.oldestFirst = true
        }
        if let text = parameters["q"].map(String.init), !text.trimmingCharacters(in: .whitespaces).isEmpty {
            guard text.count <= Self.maximumSearchLength else {
                throw HTTPError(.badRequest, message: "q must be at most \(Self.maximumSearchLength) characters")
            }
            query.text = text
        }
        if let limit = parameters["limit"].map(String.init) {
            guard let value = Int(limit), (1...Self.maximumPageSize).contains(value) else {
                throw HTTPError(.badRequest, message: "limit must be a whole number from 1 to \(Self.maximumPageSize)")
            }
            query.limit = value
        }
        if let token = parameters["cursor"].map(String.init), !token.isEmpty {
            guard let cursor = PageCursor(token: token) else {
                throw HTTPError(.badRequest, message: "cursor is not one this API gave out")
            }
            query.cursor = cursor
        }
        let page = try await self.store.messages(query)
        return MessageList(messages: page.messages, next: page.next?.token)
    }

    @Sendable func recentEvents(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try await AccountCredentials.authenticate(request, context: context, store: self.store)
        // The counter before the log: every event up to `seq` is then in this answer (or trimmed from the log), so
        // the page's socket, resuming after `seq`, misses none.
        let counter = try await self.events.lastSequence(of: account.id)
        let logged = try await self.events.recentEvents(of: account.id)
        let seq = max(counter, logged.last.flatMap(AccountEventFeedUpdate.sequence(of:)) ?? 0)
        // The logged events are JSON already: spliced in as they are.
        let body = "{\"seq\":\(seq),\"events\":[\(logged.joined(separator: ","))]}"
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: body))
        )
    }
}
