internal import Foundation
internal import Hummingbird
internal import HummingbirdWebSocket
internal import Logging
internal import MailpulseCore
internal import Redis
internal import RedisBackplane

/// `GET /api/accounts/{id}/live`: a WebSocket of the account's events, as JSON `{"seq","type",…}`. The events come
/// from Redis pub/sub, so a page on this node sees changes processed on any node; `?since=SEQ` first replays the
/// account's event log after SEQ, and when SEQ is older than the log's horizon the page is told to reload
/// (`{"type":"reload"}`). Each socket has its own bounded queue: a slow page falls behind (and catches up from the
/// log, or reloads) without holding up anyone else.
struct LiveEventsController: Sendable {
    /// Events queued for one socket before the oldest are dropped (and recovered from the log).
    static let queueLength = 1_000

    let store: any MailStore
    let events: RedisAccountEventPublisher
    let redisURL: RedisURL

    func register(on router: Router<AppRequestContext>) {
        let store = self.store
        router.ws(
            "api/accounts/:id/live",
            shouldUpgrade: { request, context in
                guard let id = context.parameters.get("id").flatMap(AccountID.init) else {
                    throw HTTPError(.notFound, message: "no such account")
                }
                _ = try await AccountCredentials.authenticate(request, account: id, store: store)
                return .upgrade([:])
            },
            onUpgrade: { inbound, outbound, context in
                guard let id = context.requestContext.parameters.get("id").flatMap(AccountID.init) else { return }
                let since = context.request.uri.queryParameters.get("since").flatMap { Int($0) }
                try await self.stream(id, since: since, closingWith: inbound, to: outbound, logger: context.logger)
            }
        )
    }

    private func stream(
        _ account: AccountID,
        since: Int?,
        closingWith inbound: WebSocketInboundStream,
        to outbound: WebSocketOutboundWriter,
        logger: Logger
    ) async throws {
        let subscriber = RedisSubscriber(url: self.redisURL, logger: logger)
        let (queue, continuation) = AsyncStream.makeStream(of: RedisSubscriptionEvent.self, bufferingPolicy: .bufferingNewest(Self.queueLength))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await event in subscriber.subscribe(to: [self.events.channel(of: account)]) {
                    continuation.yield(event)
                }
                continuation.finish()
            }
            group.addTask {
                // The page sends nothing; its stream ends when it closes the socket, and so does this one.
                for try await _ in inbound {}
                continuation.finish()
            }
            defer { group.cancelAll() }
            var lastSent = since
            for await event in queue {
                switch event {
                case .subscribed:
                    // Subscribed (again, after a Redis restart): fill the gap from the log.
                    if let sent = lastSent { lastSent = try await self.replay(account, after: sent, to: outbound) }
                case .message(_, let payload):
                    guard let seq = RedisAccountEventPublisher.sequence(of: payload) else { continue }
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
    }

    /// Sends the logged events after `sequence`, or `{"type":"reload"}` when the log no longer reaches back that far;
    /// answers the last sequence number sent.
    private func replay(_ account: AccountID, after sequence: Int, to outbound: WebSocketOutboundWriter) async throws -> Int {
        let logged = try await self.events.recentEvents(of: account).compactMap { event in
            RedisAccountEventPublisher.sequence(of: event).map { ($0, event) }
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
