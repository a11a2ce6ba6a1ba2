import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import MailpulseCore
import NIOWebSocket
import RedisBackplane
import SQLiteStore
import TestSupport
import Testing

/// `GET /api/accounts/{id}/live`: the account's events over a WebSocket, resumable with `?since=`.
@Suite(.enabled(if: TestEnvironment.hasRedis, "needs REDIS_URL (make test provides it)"))
struct LiveEventsTests {
    /// Connects, runs `body` with a reader of the socket's JSON events, then closes.
    static func connect(
        _ harness: LinkHarness,
        _ account: AccountID,
        token: String?,
        since: Int? = nil,
        _ body: @escaping @Sendable (_ next: () async throws -> [String: Any]) async throws -> Void
    ) async throws {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        let url =
            harness.service.replacingOccurrences(of: "http://", with: "ws://") + "/api/accounts/\(account)/live"
            + (since.map { "?since=\($0)" } ?? "")
        try await WebSocketClient.connect(
            url: url,
            configuration: .init(maxFrameSize: 1 << 20, additionalHeaders: headers),
            logger: Logger(label: "ws")
        ) { inbound, outbound, _ in
            var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
            try await body {
                while let message = try await messages.next() {
                    if case .text(let text) = message,
                        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
                    {
                        return object
                    }
                }
                throw CancellationError()
            }
            try await outbound.close(.normalClosure, reason: nil)
        }
    }

    /// Reads events until one matches, for at most `timeout`; answers it and the events before it.
    static func read(
        _ next: () async throws -> [String: Any],
        timeout: Duration = .seconds(10),
        until match: ([String: Any]) -> Bool
    ) async throws -> (match: [String: Any], seen: [[String: Any]]) {
        let deadline = ContinuousClock.now + timeout
        var seen: [[String: Any]] = []
        while ContinuousClock.now < deadline {
            let event = try await next()
            if match(event) { return (event, seen) }
            seen.append(event)
        }
        throw CancellationError()
    }

    static func isMessage(_ event: [String: Any], _ id: String, read: Bool) -> Bool {
        guard event["type"] as? String == "message.upserted", let message = event["message"] as? [String: Any] else { return false }
        return message["id"] as? String == id && (message["isRead"] as? Bool) == read
    }

    @Test func changesReachTheSocketAndAReconnectResumesWithoutAGap() async throws {
        try await LinkHarness.run { harness in
            let mailbox = try await harness.createMailbox("ada@outlook.com", messages: 10)
            let (account, token) = try await TokenRefreshTests.link(harness, createMailbox: false)
            let ids = Array(try await MailboxSyncTests.truth(harness, mailbox: mailbox).keys.sorted())
            let sim = "\(harness.simulator)/sim/mailboxes/\(mailbox)/messages"
            let lastSeen = SharedValue(0)

            // From the start of the log: the initial sync, then a change made while watching.
            try await Self.connect(harness, account, token: token, since: 0) { next in
                let (live, before) = try await Self.read(next) { $0["type"] as? String == "account.status" && $0["status"] as? String == "live" }
                let sequence = (before + [live]).compactMap { $0["seq"] as? Int }
                #expect(sequence == Array(1...sequence.count), "events arrive in order without a gap")
                #expect(before.contains { $0["type"] as? String == "sync.progress" })
                _ = try await harness.send("PATCH", "\(sim)/\(ids[0])", json: #"{"isRead":true}"#)
                let (changed, _) = try await Self.read(next) { Self.isMessage($0, ids[0], read: true) }
                lastSeen.value = changed["seq"] as? Int ?? 0
            }

            // A change made while no page watches arrives on reconnecting with the last sequence number seen.
            _ = try await harness.send("PATCH", "\(sim)/\(ids[1])", json: #"{"isRead":true}"#)
            let node = try TestNode(harness)
            #expect(try await TestEnvironment.eventually { try await node.store.message(ids[1], of: account)?.isRead == true })
            try await Self.connect(harness, account, token: token, since: lastSeen.value) { next in
                let (changed, before) = try await Self.read(next) { Self.isMessage($0, ids[1], read: true) }
                let sequence = (before + [changed]).compactMap { $0["seq"] as? Int }
                #expect(sequence == Array(lastSeen.value + 1..<lastSeen.value + 1 + sequence.count), "resumed right after the last seen")
            }
        }
    }

    @Test(.timeLimit(.minutes(2))) func aPageThatStopsReadingHoldsUpNoOtherPage() async throws {
        try await LinkHarness.run { harness in
            let (account, token) = try await TokenRefreshTests.link(harness)
            let node = try TestNode(harness)
            let released = SharedValue(false)
            let marker = "marker-\(UUID().uuidString)"
            let before = try await node.events.lastSequence(of: account)
            try await withThrowingTaskGroup(of: Void.self) { group in
                // A page that opens its socket and stops reading: its TCP window fills and the server's writes to it wait.
                group.addTask {
                    try await Self.connect(harness, account, token: token) { _ in
                        _ = try await TestEnvironment.eventually(timeout: .seconds(120)) { released.value }
                    }
                }
                // Another page of the same account, reading as events come.
                group.addTask {
                    try await Self.connect(harness, account, token: token, since: before) { next in
                        // Falling behind its own queue and past the log's horizon, it is told to reload (up to the
                        // newest event at that moment) and goes on; either way it comes to the marker.
                        while true {
                            let (found, _) = try await Self.read(next, timeout: .seconds(60)) { event in
                                event["text"] as? String == marker || event["type"] as? String == "reload"
                            }
                            if found["text"] as? String == marker { break }
                            let log = try await harness.send(
                                "GET",
                                "/api/accounts/\(account)/events",
                                headers: [("Authorization", "Bearer \(token)")]
                            )
                            let logged = (log.json["events"] as? [[String: Any]] ?? []).first { $0["text"] as? String == marker }
                            // A reload up to or past the marker: the page reloads what includes it.
                            if let seq = logged?["seq"] as? Int, found["seq"] as? Int ?? 0 >= seq { break }
                        }
                    }
                    released.value = true
                }
                // About 30 MB of events, beyond what loopback socket buffers and the client's inbound buffer hold, then a marker.
                let text = String(repeating: "x", count: 1_000)
                for batch in 0..<60 {
                    await node.events.publish((0..<500).map { AccountEvent.activity("\(batch)-\($0) \(text)") }, for: account)
                }
                await node.events.publish(.activity(marker), for: account)
                try await group.waitForAll()
            }
        }
    }

    @Test func aSocketNeedsTheAccountsOwnCredentials() async throws {
        try await LinkHarness.run { harness in
            let (account, _) = try await TokenRefreshTests.link(harness)
            let (_, _, otherToken) = try await harness.createAccount()
            for token in [nil, otherToken] {
                await #expect(throws: (any Error).self) {
                    try await Self.connect(harness, account, token: token) { next in _ = try await next() }
                }
            }
        }
    }
}
