import Foundation
import MailpulseCore
import MailpulseServer
import RedisBackplane
import SQLiteStore
import TestSupport

/// Changes made in graph-sim as a user would, timed to the event at a WebSocket client, and the Graph requests they
/// cost; then deletions and bursts of duplicate notifications.
enum ChangeBench {
    /// What a run measured, for the polling baseline to compare with.
    struct Outcome {
        var figures: [BenchFigure]
        var latencyP50: Double
    }

    static let mailboxMessages = 2_000

    static func run(_ settings: BenchSettings, run: Int) async throws -> Outcome {
        try await BenchRun.with { bench in
            let address = "changes\(run)@outlook.com"
            let mailbox = try await bench.createMailbox(address, messages: Self.mailboxMessages)
            let (account, token, _) = try await bench.link(address)
            try await bench.waitUntil(account, token: token)
            try await bench.setFaults("{\"notificationDelayMs\":[0,0]}")
            let truth = try await bench.truth(mailbox)
            let ids = truth.keys.sorted()
            let changed = (0..<settings.changes).map { ids[$0 % (ids.count - 120)] }

            let healthLatencies = try await Self.healthLatencies(bench, count: 200)
            let before = try await bench.requests(mailbox)
            let latencies = try await Self.changeLatencies(bench, mailbox: mailbox, account: account, token: token, changes: changed, truth: truth)
            let requestsPerChange = Double(try await bench.requests(mailbox) - before) / Double(changed.count)

            let deleted = Array(ids.suffix(100))
            let requestsPerDelete = try await Self.requestsPerDeletion(bench, mailbox: mailbox, account: account, ids: deleted)
            let burst = try await Self.fetchesPerBurst(bench, mailbox: mailbox, account: account, ids: Array(ids.suffix(120).prefix(20)))
            let p50 = BenchFigure.percentile(latencies, 50)
            return Outcome(
                figures: [
                    BenchFigure(
                        "Change to browser, p50 over \(changed.count) changes (graph-sim edit → webhook → fetch → store → WebSocket)",
                        p50,
                        unit: "ms",
                        baseline: "one GET /health round trip, p50",
                        BenchFigure.percentile(healthLatencies, 50),
                        target: "< 50 ms"
                    ),
                    BenchFigure(
                        "Change to browser, p99",
                        BenchFigure.percentile(latencies, 99),
                        unit: "ms",
                        baseline: "one GET /health round trip, p99",
                        BenchFigure.percentile(healthLatencies, 99),
                        target: "< 250 ms"
                    ),
                    BenchFigure(
                        "Graph requests per changed message (read/unread)",
                        requestsPerChange,
                        unit: "requests",
                        baseline: "one fetch per change",
                        1,
                        target: "≤ 1.05"
                    ),
                    BenchFigure(
                        "Graph requests per deleted message",
                        requestsPerDelete,
                        unit: "requests",
                        baseline: "one fetch per change",
                        1,
                        target: "0"
                    ),
                    BenchFigure(
                        "Fetches per burst of 10 notifications for one message",
                        burst,
                        unit: "fetches",
                        baseline: "no coalescing",
                        10,
                        target: "1"
                    ),
                ],
                latencyP50: p50
            )
        }
    }

    /// Round trips of `GET /health` in milliseconds: the floor of any one hop on this machine.
    static func healthLatencies(_ bench: BenchRun, count: Int) async throws -> [Double] {
        var latencies: [Double] = []
        for _ in 0..<count {
            let start = ContinuousClock.now
            _ = try await bench.send("GET", "\(bench.service)/health")
            latencies.append((ContinuousClock.now - start).timeInterval * 1000)
        }
        return latencies
    }

    /// One change after another, each flipping a message's read state in graph-sim; milliseconds from the edit's
    /// request to its `message.upserted` event at a WebSocket client of the account.
    static func changeLatencies(
        _ bench: BenchRun,
        mailbox: String,
        account: AccountID,
        token: String,
        changes: [String],
        truth: [String: Bool]
    ) async throws -> [Double] {
        var state = truth
        let flips = changes.map { id in
            let isRead = !(state[id] ?? false)
            state[id] = isRead
            return (id: id, isRead: isRead)
        }
        return try await bench.eventLatencies(account: account, token: token, changes: flips) { flip in
            let (status, _, _) = try await bench.send(
                "PATCH",
                "\(bench.simulator)/sim/mailboxes/\(mailbox)/messages/\(flip.id)",
                json: "{\"isRead\":\(flip.isRead)}"
            )
            guard status == 200 else { throw BenchError("graph-sim answered \(status) to an edit") }
        } matches: { flip, event in
            BenchRun.isUpsert(event) { $0["id"] as? String == flip.id && $0["isRead"] as? Bool == flip.isRead }
        }
    }

    /// Permanent deletions in graph-sim; answers the Graph requests each cost until the store had them all.
    static func requestsPerDeletion(_ bench: BenchRun, mailbox: String, account: AccountID, ids: [String]) async throws -> Double {
        let store = try SQLiteMailStore(path: bench.configuration.sqlitePath)
        let before = try await bench.requests(mailbox)
        for id in ids {
            _ = try await bench.send("DELETE", "\(bench.simulator)/sim/mailboxes/\(mailbox)/messages/\(id)?permanent=true")
        }
        try await BenchRun.waitUntil("every deletion is stored") {
            for id in ids where try await store.message(id, of: account) != nil { return false }
            return true
        }
        return Double(try await bench.requests(mailbox) - before) / Double(ids.count)
    }

    /// Ten concurrent notifications for one message, for each of `ids`; answers the median fetches per burst.
    static func fetchesPerBurst(_ bench: BenchRun, mailbox: String, account: AccountID, ids: [String]) async throws -> Double {
        try await bench.registerSubscription("bench", account: account, clientState: "bench")
        let store = try SQLiteMailStore(path: bench.configuration.sqlitePath)
        let queue = RedisChangeQueue(client: TestEnvironment.redisClient(maximumConnections: 1), prefix: bench.configuration.redisPrefix)
        var perBurst: [Double] = []
        for id in ids {
            let before = try await bench.requests(mailbox, endpoint: "me/messages/{id}")
            let (_, edited, _) = try await bench.send(
                "PATCH",
                "\(bench.simulator)/sim/mailboxes/\(mailbox)/messages/\(id)",
                json: "{\"flag\":\"flagged\"}"
            )
            // The simulator's own notification for the edit is the first of the burst; Graph's duplicates of it
            // carry the same etag.
            let changeKey = edited["changeKey"] as? String ?? ""
            let body = """
                {"value":[{"subscriptionId":"bench","clientState":"bench","changeType":"updated","resource":"Users/x/Messages/\(id)",\
                "resourceData":{"id":"\(id)","@odata.etag":"W/\\"\(changeKey)\\""}}]}
                """
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<9 {
                    group.addTask { _ = try await bench.send("POST", "\(bench.service)/webhooks/graph", json: body) }
                }
                try await group.waitForAll()
            }
            try await BenchRun.waitUntil("the burst is applied") {
                try await store.message(id, of: account)?.flag == .flagged
            }
            // Let every queued entry of the burst finish before counting.
            try await BenchRun.waitUntil("the queue drains") { try await queue.length() == 0 }
            perBurst.append(Double(try await bench.requests(mailbox, endpoint: "me/messages/{id}") - before))
        }
        return BenchFigure.median(perBurst)
    }
}
