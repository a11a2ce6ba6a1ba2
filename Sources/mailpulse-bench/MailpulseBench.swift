import Foundation
import MailpulseCore
import MailpulseServer
import RedisBackplane
import SQLiteStore
import TestSupport

/// `make bench`: the figures of the sync engine against graph-sim on loopback, each a median over the runs beside a
/// baseline measured in the same run. Prints a Markdown table and writes it to `bench/results.md`.
@main
enum MailpulseBench {
    static func main() async throws {
        let environment = ProcessInfo.processInfo.environment
        let messages = Int(environment["BENCH_MESSAGES"] ?? "") ?? 5_000
        let runs = Int(environment["BENCH_RUNS"] ?? "") ?? 3
        let changes = Int(environment["BENCH_CHANGES"] ?? "") ?? 200
        var figures: [String: BenchFigure] = [
            "sync": BenchFigure(
                name: "Initial sync, \(messages) messages from graph-sim into SQLite",
                unit: "messages/s",
                samples: [],
                baselineName: "SQLite batch upserts alone",
                baselineSamples: [],
                target: "≥ 5,000 messages/s (issue 9)"
            ),
            "updates": BenchFigure(
                name: "Graph requests per changed message (read/unread)",
                unit: "requests",
                samples: [],
                baselineName: "one fetch per change",
                baselineSamples: [],
                target: "≤ 1.05"
            ),
            "deletes": BenchFigure(
                name: "Graph requests per deleted message",
                unit: "requests",
                samples: [],
                baselineName: "one fetch per change",
                baselineSamples: [],
                target: "0"
            ),
            "burst": BenchFigure(
                name: "Fetches per burst of 10 notifications for one message",
                unit: "fetches",
                samples: [],
                baselineName: "no coalescing",
                baselineSamples: [],
                target: "1"
            ),
        ]
        for run in 1...runs {
            print("run \(run) of \(runs)…")
            let samples = try await BenchRun.with { bench in
                try await Self.measure(bench, run: run, messages: messages, changes: changes)
            }
            figures["sync"]!.samples.append(samples.sync)
            figures["sync"]!.baselineSamples.append(samples.rawUpserts)
            figures["updates"]!.samples.append(samples.requestsPerUpdate)
            figures["updates"]!.baselineSamples.append(1)
            figures["deletes"]!.samples.append(samples.requestsPerDelete)
            figures["deletes"]!.baselineSamples.append(1)
            figures["burst"]!.samples.append(samples.fetchesPerBurst)
            figures["burst"]!.baselineSamples.append(10)
        }
        try Self.report([figures["sync"]!, figures["updates"]!, figures["deletes"]!, figures["burst"]!], runs: runs)
    }

    /// The figures of one run.
    struct Samples: Sendable {
        var sync: Double
        var rawUpserts: Double
        var requestsPerUpdate: Double
        var requestsPerDelete: Double
        var fetchesPerBurst: Double
    }

    static func measure(_ bench: BenchRun, run: Int, messages: Int, changes: Int) async throws -> Samples {
        let mailbox = try await bench.createMailbox("bench\(run)@outlook.com", messages: messages)
        let (account, token, start) = try await bench.link("bench\(run)@outlook.com")
        try await bench.waitUntilLive(account, token: token)
        let sync = Double(messages) / (ContinuousClock.now - start).timeInterval
        let rawUpserts = try await Self.rawUpsertRate(messages: messages)

        let store = try SQLiteMailStore(path: bench.configuration.sqlitePath)
        // Distinct messages for each figure: updated, then 20 bursts, then deleted.
        let ids = Array(try await bench.truth(mailbox).keys.sorted().prefix(changes + 20 + changes / 2))
        let updated = Array(ids.prefix(changes))
        var before = try await bench.requests(mailbox)
        for id in updated {
            _ = try await bench.send("PATCH", "\(bench.simulator)/sim/mailboxes/\(mailbox)/messages/\(id)", json: "{\"isRead\":true}")
        }
        try await Self.waitUntil("every update is stored") {
            for id in updated where try await store.message(id, of: account)?.isRead != true { return false }
            return true
        }
        let requestsPerUpdate = Double(try await bench.requests(mailbox) - before) / Double(updated.count)

        let deleted = Array(ids[(changes + 20)...])
        before = try await bench.requests(mailbox)
        for id in deleted {
            _ = try await bench.send("DELETE", "\(bench.simulator)/sim/mailboxes/\(mailbox)/messages/\(id)?permanent=true")
        }
        try await Self.waitUntil("every deletion is stored") {
            for id in deleted where try await store.message(id, of: account) != nil { return false }
            return true
        }
        let requestsPerDelete = Double(try await bench.requests(mailbox) - before) / Double(deleted.count)
        let burst = try await Self.fetchesPerBurst(bench, mailbox: mailbox, account: account, ids: Array(ids[changes..<changes + 20]))
        return Samples(
            sync: sync,
            rawUpserts: rawUpserts,
            requestsPerUpdate: requestsPerUpdate,
            requestsPerDelete: requestsPerDelete,
            fetchesPerBurst: burst
        )
    }

    /// Ten concurrent notifications for one message, for each of `ids`; answers the median fetches per burst.
    static func fetchesPerBurst(_ bench: BenchRun, mailbox: String, account: AccountID, ids: [String]) async throws -> Double {
        let client = TestEnvironment.redisClient(maximumConnections: 4)
        let directory = RedisSubscriptionDirectory(client: client, prefix: bench.configuration.redisPrefix)
        try await directory.register("bench", account: account, clientState: "bench", expiresAt: Date(timeIntervalSinceNow: 3600))
        let store = try SQLiteMailStore(path: bench.configuration.sqlitePath)
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
            try await Self.waitUntil("the burst is applied") {
                try await store.message(id, of: account)?.flag == .flagged
            }
            // Let every queued entry of the burst finish before counting.
            let queue = RedisChangeQueue(client: client, prefix: bench.configuration.redisPrefix)
            try await Self.waitUntil("the queue drains") { try await queue.length() == 0 }
            perBurst.append(Double(try await bench.requests(mailbox, endpoint: "me/messages/{id}") - before))
        }
        return BenchFigure.median(perBurst)
    }

    /// The store alone: the same number of messages upserted in pages of 250 into a fresh SQLite file.
    static func rawUpsertRate(messages: Int) async throws -> Double {
        let folder = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteMailStore(path: folder.appendingPathComponent("raw.sqlite").path)
        try await store.prepare()
        let account = AccountID.random()
        let now = Date().millisecondsSince1970
        let batch = (0..<messages).map { index in
            Message(
                accountID: account,
                id: "AAMkAD\(index)",
                mailboxID: "inbox",
                internetMessageID: "<\(index)@example.com>",
                conversationID: "conversation-\(index / 3)",
                subject: "Quarterly report \(index)",
                from: EmailAddress(name: "Grace Hopper", address: "grace@example.net"),
                sender: EmailAddress(name: "Grace Hopper", address: "grace@example.net"),
                toRecipients: [EmailAddress(name: "Ada", address: "ada@outlook.com")],
                ccRecipients: [],
                receivedAt: now - Int64(index) * 60_000,
                sentAt: now - Int64(index) * 60_000,
                isRead: index % 2 == 0,
                isDraft: false,
                flag: .notFlagged,
                importance: .normal,
                hasAttachments: false,
                bodyPreview: "Numbers for the quarter, message \(index), with a preview of some length like Outlook's.",
                categories: [],
                version: MessageVersion(modifiedAt: now, changeKey: "CQAAAB\(index)")
            )
        }
        let start = ContinuousClock.now
        for page in stride(from: 0, to: batch.count, by: 250) {
            _ = try await store.upsertMessages(Array(batch[page..<min(page + 250, batch.count)]))
        }
        return Double(messages) / (ContinuousClock.now - start).timeInterval
    }

    static func waitUntil(_ what: String, timeout: Duration = .seconds(120), _ condition: @Sendable () async throws -> Bool) async throws {
        guard try await TestEnvironment.eventually(timeout: timeout, condition) else { throw BenchError("timed out waiting until \(what)") }
    }

    static func report(_ figures: [BenchFigure], runs: Int) throws {
        let machine =
            Self.shell("uname -srm") + ", " + Self.shell("nproc") + " cores, "
            + Self.shell("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").trimmingCharacters(in: .whitespaces)
        var lines = [
            "# Benchmark results",
            "",
            "`make bench` on \(Date().formatted(.iso8601)); \(machine); medians of \(runs) runs; release build; graph-sim, the service,",
            "Redis and SQLite on loopback. Ratio = figure ÷ baseline.",
            "",
            "| figure | median | baseline (same run) | ratio | target |",
            "|---|---|---|---|---|",
        ]
        lines += figures.map(\.row)
        let text = lines.joined(separator: "\n") + "\n"
        print(text)
        try FileManager.default.createDirectory(atPath: "bench", withIntermediateDirectories: true)
        try text.write(toFile: "bench/results.md", atomically: true, encoding: .utf8)
    }

    static func shell(_ command: String) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let pipe = Pipe()
        process.standardOutput = pipe
        try? process.run()
        process.waitUntilExit()
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
