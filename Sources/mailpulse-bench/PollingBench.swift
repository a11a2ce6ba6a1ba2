import Foundation
import MailpulseCore
import MailpulseServer
import SQLiteStore
import TestSupport

/// The same service with webhooks off: idle mailboxes polled by delta every 60 s, and changes timed until the store
/// has them, beside what the webhook path costs.
enum PollingBench {
    static let mailboxes = 20
    static let messages = 50
    static let changes = 20

    /// No subscriptions: every account is polled by delta every minute.
    static func configure(_ configuration: inout MailpulseConfiguration) {
        configuration.webhooks = false
        configuration.pollInterval = .seconds(60)
    }

    /// `webhookLatency`: the change-to-socket p50 of this run's webhook benchmark, in milliseconds, when it ran.
    static func run(_ settings: BenchSettings, run: Int, webhookLatency: Double?) async throws -> [BenchFigure] {
        try await BenchRun.with(configure: Self.configure) { bench in
            var linked: [(mailbox: String, account: AccountID)] = []
            for index in 0..<Self.mailboxes {
                let address = "polled\(run)-\(index)@outlook.com"
                let mailbox = try await bench.createMailbox(address, messages: Self.messages)
                let (account, token, _) = try await bench.link(address)
                try await bench.waitUntil(account, token: token, is: "degraded")
                linked.append((mailbox, account))
            }
            let store = try SQLiteMailStore(path: bench.configuration.sqlitePath)
            let window = Double(settings.pollSeconds)
            let (requestsBefore, roundsBefore) = try await Self.requests(bench, linked.map(\.mailbox))
            let start = ContinuousClock.now
            let latencies = try await withThrowingTaskGroup(of: Double.self) { group in
                for index in 0..<Self.changes {
                    let (mailbox, account) = linked[index % linked.count]
                    let id = try await bench.truth(mailbox).keys.sorted()[index / linked.count]
                    try await Task.sleep(until: start + .seconds(window * (Double(index) + 0.5) / Double(Self.changes)))
                    let changed = ContinuousClock.now
                    _ = try await bench.send("PATCH", "\(bench.simulator)/sim/mailboxes/\(mailbox)/messages/\(id)", json: "{\"flag\":\"flagged\"}")
                    group.addTask {
                        try await BenchRun.waitUntil("a polled change is stored", timeout: .seconds(180)) {
                            try await store.message(id, of: account)?.flag == .flagged
                        }
                        return (ContinuousClock.now - changed).timeInterval
                    }
                }
                try await Task.sleep(until: start + .seconds(window))
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let elapsed = (ContinuousClock.now - start).timeInterval
            let (requestsAfter, roundsAfter) = try await Self.requests(bench, linked.map(\.mailbox))
            let requests = Double(requestsAfter - requestsBefore)
            let perHour = requests / Double(Self.mailboxes) / elapsed * 3600
            // With webhooks, an idle mailbox costs only the scheduled backfill (the same delta round as a poll) and
            // a subscription renewal every few days.
            let perRound = requests / Double(max(1, roundsAfter - roundsBefore))
            let webhookPerHour = perRound * 3600 / MailpulseConfiguration().syncInterval.timeInterval
            return [
                BenchFigure(
                    "Graph requests per idle mailbox per hour, polling every 60 s",
                    perHour,
                    unit: "requests",
                    baseline: "with webhooks (a delta round every 15 min)",
                    webhookPerHour,
                    target: "—"
                ),
                BenchFigure(
                    "Change latency, polling every 60 s, p50 over \(latencies.count) changes",
                    BenchFigure.median(latencies) * 1000,
                    unit: "ms",
                    baseline: "with webhooks, p50",
                    webhookLatency ?? .nan,
                    target: "—"
                ),
            ]
        }
    }

    /// Graph requests of the mailboxes so far, and how many delta rounds began (each lists the folders once).
    static func requests(_ bench: BenchRun, _ mailboxes: [String]) async throws -> (requests: Int, rounds: Int) {
        let requests = try await bench.requestCounts()
        let rounds = try await bench.requestCounts(endpoint: "me/mailfolders/delta")
        return (mailboxes.reduce(0) { $0 + (requests[$1] ?? 0) }, mailboxes.reduce(0) { $0 + (rounds[$1] ?? 0) })
    }
}
