import Foundation
import HTTPTransport
import MailpulseCore
import MailpulseServer
import SQLiteStore
import TestSupport

/// What the attacks of the security review cost now: a legitimate webhook delivery's answer while a flood of made-up
/// subscriptions runs (beside the same delivery without it), and a one-letter search in a new account beside an
/// account of 100,000 messages (beside the same search with the other account empty).
enum SecurityBench {
    static let subscription = "bench-legitimate"
    static let clientState = "bench-legitimate-secret"
    /// Connections posting the flood at once.
    static let attackers = 64
    /// Messages of the crowded account the search runs beside.
    static let crowd = 100_000

    /// Each request names 1,000 subscriptions nobody registered (about 90 KB), never the same twice.
    static let flood = """
        local counter = 0
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/json"
        function request()
            local items = {}
            for i = 1, 1000 do
                counter = counter + 1
                items[i] = '{"subscriptionId":"made-up-' .. counter .. '-' .. math.random(1000000000) .. '","clientState":"x",'
                    .. '"changeType":"updated","resource":"Users/u/Messages/m","resourceData":{"id":"m"}}'
            end
            return wrk.format(nil, nil, nil, '{"value":[' .. table.concat(items, ",") .. ']}')
        end
        """

    static func run(_ settings: BenchSettings, run: Int) async throws -> [BenchFigure] {
        let (quiet, attacked, flood) = try await BenchRun.with(configure: IntakeBench.configure) { bench in
            try await bench.registerSubscription(Self.subscription, account: AccountID.random(), clientState: Self.clientState)
            let quiet = try await Self.deliveries(bench, for: .seconds(settings.intakeSeconds))
            var load = LoadGenerator(seconds: settings.intakeSeconds)
            load.connections = Self.attackers
            let url = "\(bench.service)/webhooks/graph"
            async let flood = load.runAlongside(url, script: Self.flood)
            let attacked = try await Self.deliveries(bench, for: .seconds(settings.intakeSeconds))
            return (quiet, attacked, try await flood)
        }
        let crowded = try await Self.searchTime(beside: Self.crowd)
        let alone = try await Self.searchTime(beside: 0)
        return [
            BenchFigure(
                "Legitimate webhook delivery p99 while \(Self.attackers) connections post 1,000 unknown subscriptions each",
                BenchFigure.percentile(attacked, 99),
                unit: "ms",
                baseline: "the same delivery without the flood, p99",
                BenchFigure.percentile(quiet, 99),
                target: "< 3,000 ms (Graph's budget)"
            ),
            BenchFigure(
                "Legitimate webhook delivery p50 during the flood",
                BenchFigure.median(attacked),
                unit: "ms",
                baseline: "without the flood, p50",
                BenchFigure.median(quiet),
                target: "—"
            ),
            BenchFigure(
                "Flood POSTs answered per second (64 connections, 1,000 unknown subscriptions each)",
                flood.requestsPerSecond,
                unit: "requests/s",
                baseline: "legitimate deliveries answered per second meanwhile",
                Double(attacked.count) / Double(settings.intakeSeconds),
                target: "—",
                hasRatio: false
            ),
            BenchFigure(
                "Search `a` in a new account of 50 messages beside an account of \(Self.crowd.formatted()) (SQLite)",
                crowded,
                unit: "ms",
                baseline: "the same search, the other account empty",
                alone,
                target: "ratio ≈ 1"
            ),
        ]
    }

    /// Latencies in ms of one-notification deliveries for a registered subscription, one after another, for `duration`.
    static func deliveries(_ bench: BenchRun, for duration: Duration) async throws -> [Double] {
        let transport = URLSessionTransport()
        let deadline = ContinuousClock.now + duration
        var latencies: [Double] = []
        var index = 0
        while ContinuousClock.now < deadline {
            index += 1
            let body =
                #"{"value":[{"subscriptionId":"\#(Self.subscription)","clientState":"\#(Self.clientState)","changeType":"updated","#
                + #""resource":"Users/u/Messages/legit-\#(index)","resourceData":{"id":"legit-\#(index)"}}]}"#
            let started = ContinuousClock.now
            let response = try await transport.send(
                HTTPRequestData(
                    method: "POST",
                    url: URL(string: "\(bench.service)/webhooks/graph")!,
                    headers: [("Content-Type", "application/json")],
                    body: Data(body.utf8),
                    timeout: .seconds(30)
                )
            )
            latencies.append((ContinuousClock.now - started).timeInterval * 1000)
            guard response.status == 202 else { throw BenchError("a legitimate delivery was answered \(response.status)") }
        }
        return latencies
    }

    /// The median time in ms of a search for `a` in a new account of 50 messages, in a store that also holds an
    /// account of `others` messages, all of whose subjects have words starting with `a`.
    static func searchTime(beside others: Int) async throws -> Double {
        let folder = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteMailStore(path: folder.appendingPathComponent("search.sqlite").path)
        try await store.prepare()
        let now = Date().millisecondsSince1970
        let crowded = AccountID.random()
        let fresh = AccountID.random()
        for account in [crowded, fresh] {
            try await store.createAccount(Account(id: account, provider: .outlook, status: .live, createdAt: Date(), updatedAt: Date()))
        }
        let crowd = SyncBench.messages(others, of: crowded, now: now)
        for page in stride(from: 0, to: crowd.count, by: 1000) {
            _ = try await store.upsertMessages(Array(crowd[page..<min(page + 1000, crowd.count)]))
        }
        _ = try await store.upsertMessages(SyncBench.messages(50, of: fresh, now: now))
        var times: [Double] = []
        for _ in 0..<50 {
            let started = ContinuousClock.now
            _ = try await store.messages(MessageQuery(accountID: fresh, text: "a"))
            times.append((ContinuousClock.now - started).timeInterval * 1000)
        }
        return BenchFigure.median(times)
    }
}
