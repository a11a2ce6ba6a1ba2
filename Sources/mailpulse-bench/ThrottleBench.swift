import Foundation
import MailpulseCore
import MailpulseServer
import SQLiteStore
import TestSupport

/// Many mailboxes synced at once under Graph's per-mailbox limits, scaled down so each mailbox's bucket runs dry
/// within the run: how many 429s the service provokes, and how much of the bucket's rate it uses once it must wait.
enum ThrottleBench {
    /// Requests per 10 minutes per mailbox, in graph-sim and in the service alike: 0.1 requests/s once spent.
    static let bucket = 60
    static let pageSize = 10
    /// Requests each mailbox should still need once its bucket is spent.
    static let backlogRequests = 6
    /// Requests of a sync besides the message pages: sign-in identity, subscription, folders, and one per folder.
    static let otherRequests = 10

    /// Graph's limit scaled down, and small pages, so each mailbox needs more requests than its bucket holds.
    static func configure(_ configuration: inout MailpulseConfiguration) {
        configuration.mailboxRequestsPer10Minutes = Self.bucket
        configuration.graphPageSize = Self.pageSize
    }

    static func run(_ settings: BenchSettings, run: Int) async throws -> [BenchFigure] {
        try await BenchRun.with(configure: Self.configure) { bench in
            let budget = bench.configuration.mailboxRequestBudget
            try await bench.setFaults("{\"throttle\":{\"requestsPer10Minutes\":\(Self.bucket),\"concurrent\":4}}")
            let messages = (Self.bucket + Self.backlogRequests - Self.otherRequests) * Self.pageSize
            let addresses = (0..<settings.mailboxes).map { "throttle\(run)-\($0)@outlook.com" }
            var mailboxes: [String] = []
            for address in addresses {
                mailboxes.append(try await bench.createMailbox(address, messages: messages))
            }
            let sampler = Task { try await Self.sample(bench) }
            // One sign-in after another (each takes milliseconds; the syncs they start run together).
            var accounts: [(AccountID, String)] = []
            for address in addresses {
                let (account, token, _) = try await bench.link(address)
                accounts.append((account, token))
            }
            for (account, token) in accounts {
                try await bench.waitUntil(account, token: token, timeout: .seconds(900))
            }
            sampler.cancel()
            let series = try await sampler.value
            let stats = try await bench.stats()
            let throttled = stats["throttled"] as? Int ?? 0
            let counts = try await bench.requestCounts()
            let total = mailboxes.reduce(0) { $0 + (counts[$1] ?? 0) }
            let rate = Double(Self.bucket) / 10
            let perMailbox = mailboxes.compactMap { mailbox in
                Self.backlogRate(series.map { ($0.time, $0.counts[mailbox] ?? 0) }, budget: budget)
            }
            guard !perMailbox.isEmpty else { throw BenchError("no mailbox had a backlog: raise backlogRequests") }
            return [
                BenchFigure(
                    "429s during the initial sync of \(settings.mailboxes) mailboxes at once (bucket \(Self.bucket)/10 min, 4 concurrent)",
                    Double(throttled),
                    unit: "429s",
                    baseline: "Graph requests made",
                    Double(total),
                    target: "0"
                ),
                BenchFigure(
                    "Per-mailbox request rate while its bucket is spent (median of \(perMailbox.count) mailboxes)",
                    BenchFigure.median(perMailbox),
                    unit: "requests/min",
                    baseline: "Graph's rate",
                    rate,
                    target: "≥ 0.90 of Graph's rate"
                ),
            ]
        }
    }

    /// graph-sim's request counts per mailbox, every 100 ms until cancelled.
    struct Sample {
        var time: Double
        var counts: [String: Int]
    }

    static func sample(_ bench: BenchRun) async throws -> [Sample] {
        let start = ContinuousClock.now
        var samples: [Sample] = []
        while !Task.isCancelled {
            let counts = try await bench.requestCounts()
            samples.append(Sample(time: (ContinuousClock.now - start).timeInterval, counts: counts))
            try? await Task.sleep(for: .milliseconds(100))
        }
        return samples
    }

    /// Requests per minute of one mailbox after its bucket (`budget` requests per 10 minutes) was spent: from the
    /// request after the burst (the bucket's capacity plus what refilled while it was spent) to its last request, by
    /// when each count was first seen.
    static func backlogRate(_ series: [(time: Double, count: Int)], budget: Int) -> Double? {
        guard let first = series.first(where: { $0.count > 0 }), let spent = series.first(where: { $0.count >= budget }),
            let last = series.last?.count
        else { return nil }
        let burst = Double(budget) + Double(budget) / 600 * (spent.time - first.time)
        let from = Int(burst.rounded(.up)) + 1
        guard last - from >= 2, let start = series.first(where: { $0.count >= from }), let end = series.first(where: { $0.count >= last })
        else { return nil }
        return Double(end.count - start.count) / (end.time - start.time) * 60
    }
}
