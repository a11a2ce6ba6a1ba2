import Foundation
import MailpulseCore
import SyncEngine
import Synchronization

/// A provider in memory, shaped as the engine sees one: folders, messages, delta rounds paged from a start or a
/// cursor, single reads, and token refreshes. The test changes the mailbox as a user would and counts the calls.
final class ScriptedProvider: MailProvider {
    struct Calls {
        var folderLists = 0
        var pages = 0
        var reads = 0
        var refreshes = 0
    }

    private struct State {
        var folders: [Mailbox] = []
        /// Every message where it is now.
        var messages: [String: Message] = [:]
        /// Per folder, what happened since the start: the message ids that arrived or changed, and that left.
        var log: [String: [(upsert: String?, removed: String?)]] = [:]
        var calls = Calls()
        var failPage: Int?
        var expireCursors = false
        var throttles: [Duration] = []
        var beforePage: (@Sendable (Int) async -> Void)?
        var refresh: @Sendable (OAuthTokens) throws -> OAuthTokens = { tokens in
            OAuthTokens(accessToken: "fresh-\(UUID())", refreshToken: "rotated", expiresAt: Date() + 3600, scope: tokens.scope)
        }
    }

    let account: AccountID
    let pageSize: Int
    private let state = Mutex(State())

    init(account: AccountID, pageSize: Int = 3) {
        self.account = account
        self.pageSize = pageSize
    }

    var calls: Calls { self.state.withLock { $0.calls } }

    // MARK: The user's side

    func addFolder(_ id: String, _ name: String, wellKnownName: String? = nil) {
        self.state.withLock {
            $0.folders.append(Mailbox(accountID: self.account, id: id, displayName: name, wellKnownName: wellKnownName))
            $0.log[id] = []
        }
    }

    /// New mail, or a change to a message (a new version), in `folder`.
    func put(_ id: String, in folder: String, subject: String = "Hello", modifiedAt: Int64 = 1_700_000_000_000, isRead: Bool = false) {
        self.state.withLock { state in
            let message = SyncEngineFixtures.message(
                id,
                account: self.account,
                mailbox: folder,
                subject: subject,
                modifiedAt: modifiedAt,
                isRead: isRead
            )
            if let before = state.messages[id], before.mailboxID != folder { state.log[before.mailboxID, default: []].append((nil, id)) }
            state.messages[id] = message
            state.log[folder, default: []].append((id, nil))
        }
    }

    /// The user deletes a folder: its messages go to `destination`, or are gone with it.
    func removeFolder(_ id: String, movingMessagesTo destination: String?, modifiedAt: Int64) {
        let inside = self.state.withLock { state in
            state.folders.removeAll { $0.id == id }
            return state.messages.values.filter { $0.mailboxID == id }.map(\.id)
        }
        for message in inside {
            if let destination {
                self.move(message, to: destination, modifiedAt: modifiedAt)
            } else {
                self.delete(message)
            }
        }
    }

    func move(_ id: String, to folder: String, modifiedAt: Int64) {
        let subject = self.state.withLock { $0.messages[id]?.subject } ?? "Hello"
        self.put(id, in: folder, subject: subject, modifiedAt: modifiedAt)
    }

    func delete(_ id: String) {
        self.state.withLock { state in
            guard let message = state.messages.removeValue(forKey: id) else { return }
            state.log[message.mailboxID, default: []].append((nil, id))
        }
    }

    /// The delta page with this number (counting from 1, across the whole test) fails once as a network error.
    func failPage(_ number: Int) {
        self.state.withLock { $0.failPage = number }
    }

    /// The next reads are throttled, one for each `Retry-After` given.
    func throttleReads(_ retryAfters: [Duration]) {
        self.state.withLock { $0.throttles = retryAfters }
    }

    /// Runs `hook` with the page's number before each delta page is answered (to change the world mid-sync).
    func beforeEachPage(_ hook: @escaping @Sendable (Int) async -> Void) {
        self.state.withLock { $0.beforePage = hook }
    }

    func expireCursors() {
        self.state.withLock { $0.expireCursors = true }
    }

    func refreshing(with refresh: @escaping @Sendable (OAuthTokens) throws -> OAuthTokens) {
        self.state.withLock { $0.refresh = refresh }
    }

    // MARK: MailProvider

    func beginLogin(for account: AccountID, state: String) -> LoginRequest {
        LoginRequest(url: "https://login.example/authorize?state=\(state)", verifier: "verifier")
    }

    func redeemLogin(code: String, verifier: String, for account: AccountID) async throws -> OAuthTokens {
        throw MailProviderError.failed("not scripted")
    }

    func identity(of account: AccountID, accessToken: String) async throws -> AccountIdentity {
        AccountIdentity(providerUserID: "user", displayName: "Ada", address: "ada@example.com")
    }

    func refreshTokens(_ tokens: OAuthTokens, of account: AccountID) async throws -> OAuthTokens {
        let refresh = self.state.withLock { state in
            state.calls.refreshes += 1
            return state.refresh
        }
        return try refresh(tokens)
    }

    func mailboxes(of account: AccountID, accessToken: String) async throws -> [Mailbox] {
        self.state.withLock { state in
            state.calls.folderLists += 1
            return state.folders
        }
    }

    /// Links are `start:<folder>:<offset>` within a full round, `cursor:<folder>:<log position>` after one.
    func messageChanges(of account: AccountID, mailbox: String, link: String?, accessToken: String) async throws -> MessageChanges {
        let (hook, number) = self.state.withLock { ($0.beforePage, $0.calls.pages + 1) }
        await hook?(number)
        return try self.state.withLock { state in
            state.calls.pages += 1
            if state.failPage == state.calls.pages {
                state.failPage = nil
                throw MailProviderError.unavailable("the network dropped the page")
            }
            let parts = (link ?? "start:\(mailbox):0").split(separator: ":").map(String.init)
            let position = Int(parts[2]) ?? 0
            let logLength = state.log[mailbox]?.count ?? 0
            if parts[0] == "cursor" {
                if state.expireCursors { throw MailProviderError.cursorExpired }
                let entries = state.log[mailbox]?[position...] ?? []
                let upserts = Set(entries.compactMap(\.upsert)).compactMap { id in state.messages[id].flatMap { $0.mailboxID == mailbox ? $0 : nil } }
                let removed = entries.compactMap(\.removed).filter { state.messages[$0]?.mailboxID != mailbox }
                return MessageChanges(upserts: upserts, removed: removed, nextLink: nil, cursor: "cursor:\(mailbox):\(logLength)")
            }
            let all = state.messages.values.filter { $0.mailboxID == mailbox }.sorted { $0.id < $1.id }
            let page = Array(all.dropFirst(position).prefix(self.pageSize))
            let end = position + page.count >= all.count
            return MessageChanges(
                upserts: page,
                removed: [],
                nextLink: end ? nil : "start:\(mailbox):\(position + page.count)",
                cursor: end ? "cursor:\(mailbox):\(logLength)" : nil
            )
        }
    }

    func message(_ id: String, of account: AccountID, accessToken: String) async throws -> Message? {
        try self.state.withLock { state in
            state.calls.reads += 1
            if !state.throttles.isEmpty { throw MailProviderError.throttled(retryAfter: state.throttles.removeFirst()) }
            return state.messages[id]
        }
    }

    func content(of message: String, of account: AccountID, accessToken: String) async throws -> MessageContent? {
        self.state.withLock { state in
            state.messages[message].map { MessageContent(body: MessageBody(contentType: .text, content: "The body of \($0.subject)")) }
        }
    }

    func attachment(_ id: String, of message: String, of account: AccountID, limit: Int, accessToken: String) async throws -> AttachmentData? {
        nil
    }

    func send(_ message: OutgoingMessage, from account: AccountID, accessToken: String) async throws {
        throw MailProviderError.failed("the scripted provider sends nothing")
    }

    func subscribe(_ account: AccountID, request: SubscriptionRequest, accessToken: String) async throws -> AccountSubscription {
        AccountSubscription(id: "subscription-\(UUID())", expiresAt: request.expiration, notificationURL: request.notificationURL)
    }

    func renewSubscription(_ id: String, of account: AccountID, until expiration: Date, accessToken: String) async throws -> AccountSubscription {
        AccountSubscription(id: id, expiresAt: expiration)
    }

    func reauthorizeSubscription(_ id: String, of account: AccountID, accessToken: String) async throws {}

    func deleteSubscription(_ id: String, of account: AccountID, accessToken: String) async throws {}
}
