internal import Foundation
internal import Hummingbird
internal import HummingbirdWebSocket
internal import MailpulseCore

/// `GET /api/accounts/{id}/live`: a WebSocket of the account's events, as JSON `{"seq","at","type",…}`. The events come
/// from Redis pub/sub through the node's ``LiveEventHub``, so a page on this node sees changes processed on any node;
/// `?since=SEQ` first replays the
/// account's event log after SEQ, and when SEQ is older than the log's horizon the page is told to reload
/// (`{"type":"reload"}`). Each socket has its own bounded queue in the hub: a slow page falls behind (and catches up
/// from the log, or reloads) without holding up anyone else.
///
/// Before the upgrade: the account's credentials, a `since` within the range sequence numbers can reach, an `Origin`
/// (when a browser sends one) that is this service's or an allowed one, and at most ``maximumSocketsPerAccount``
/// sockets of the account on this node.
struct LiveEventsController: Sendable {
    /// The largest `since` accepted: sequence numbers are counted in Redis and read by JavaScript, whose integers are
    /// exact up to 2^53 − 1.
    static let maximumSince = 9_007_199_254_740_991

    let store: any MailStore
    let events: any AccountEventLog
    let hub: LiveEventHub
    /// Origins whose pages may open sockets, besides the origin the request itself was sent to.
    let allowedOrigins: Set<String>
    let maximumSocketsPerAccount: Int

    func register(on router: Router<AppRequestContext>) {
        let store = self.store
        router.ws(
            "api/accounts/:id/live",
            shouldUpgrade: { request, context in
                try self.checkOrigin(request)
                let account = try await AccountCredentials.authenticate(request, context: context, store: store)
                _ = try Self.since(request)
                guard self.hub.listenerCount(of: account.id) < self.maximumSocketsPerAccount else {
                    throw HTTPError(
                        .tooManyRequests,
                        message: "this account has \(self.maximumSocketsPerAccount) live sockets open already: close one first"
                    )
                }
                return .upgrade([:])
            },
            onUpgrade: { inbound, outbound, context in
                guard let id = context.requestContext.parameters.get("id").flatMap(AccountID.init) else { return }
                try await self.stream(id, since: try Self.since(context.request), closingWith: inbound, to: outbound)
            }
        )
    }

    /// The `since` of a request: absent, or a whole number from 0 to ``maximumSince``.
    private static func since(_ request: Request) throws -> Int? {
        guard let text = request.uri.queryParameters.get("since") else { return nil }
        // Int(_:) takes only an optional sign and digits, and answers nil past Int's range rather than trap.
        guard let value = Int(text), (0...Self.maximumSince).contains(value) else {
            throw HTTPError(.badRequest, message: "since must be a whole number from 0 to \(Self.maximumSince)")
        }
        return value
    }

    /// Refuses a browser page of another site: its `Origin` must be the address the request was sent to, or allowed.
    /// Browsers send `scheme://host[:port]` with http(s), or `null` from sandboxed and local pages; other values
    /// (a native client's `ws://…`) come from programs that could send any header, and prove nothing either way.
    private func checkOrigin(_ request: Request) throws {
        guard let origin = request.headers[.origin] else { return }
        let lowered = origin.lowercased()
        guard lowered == "null" || lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else { return }
        if let parsed = CheckedURL(origin) {
            if self.allowedOrigins.contains(parsed.origin) { return }
            // The page's own origin: the address the request was sent to (read with the page's scheme).
            if let host = request.head.authority, CheckedURL("\(parsed.scheme)://\(host)")?.authority == parsed.authority { return }
        }
        throw HTTPError(.forbidden, message: "a page of another site may not open this account's live socket")
    }

    private func stream(
        _ account: AccountID,
        since: Int?,
        closingWith inbound: WebSocketInboundStream,
        to outbound: WebSocketOutboundWriter
    ) async throws {
        let queue = self.hub.events(of: account)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                // The page sends nothing; its stream ends when it closes the socket, and so does this one.
                for try await _ in inbound {}
            }
            group.addTask { try await self.forward(queue, of: account, since: since, to: outbound) }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    /// Writes the account's events to the socket in sequence order, each once, taking from the log what the queue
    /// dropped or what was published while the hub was not subscribed.
    private func forward(
        _ queue: AsyncStream<AccountEventFeedUpdate>,
        of account: AccountID,
        since: Int?,
        to outbound: WebSocketOutboundWriter
    ) async throws {
        var lastSent = since
        for await event in queue {
            switch event {
            case .subscribed:
                // Subscribed (again, after a Redis restart): fill the gap from the log.
                if let sent = lastSent { lastSent = try await self.replay(account, after: sent, to: outbound) }
            case .accountDeleted:
                return
            case .published(_, let payload):
                guard let seq = AccountEventFeedUpdate.sequence(of: payload) else { continue }
                if let sent = lastSent, seq <= sent { continue }
                if let sent = lastSent, seq > sent + 1 {
                    // Events were dropped from this socket's queue: take them from the log.
                    lastSent = try await self.replay(account, after: sent, to: outbound)
                    if let sent = lastSent, seq <= sent { continue }
                }
                try await outbound.write(.text(payload))
                lastSent = seq
            }
        }
    }

    /// Sends the logged events after `sequence`, or `{"type":"reload"}` when the log no longer reaches back that far;
    /// answers the last sequence number sent.
    private func replay(_ account: AccountID, after sequence: Int, to outbound: WebSocketOutboundWriter) async throws -> Int {
        let logged = try await self.events.recentEvents(of: account).compactMap { event in
            AccountEventFeedUpdate.sequence(of: event).map { ($0, event) }
        }
        guard let first = logged.first?.0, let last = logged.last?.0 else { return sequence }
        if first > sequence + 1 {
            try await outbound.write(.text("{\"type\":\"reload\",\"seq\":\(last)}"))
            return last
        }
        var sent = sequence
        for (seq, event) in logged where seq > sequence {
            try await outbound.write(.text(event))
            sent = seq
        }
        return sent
    }
}
