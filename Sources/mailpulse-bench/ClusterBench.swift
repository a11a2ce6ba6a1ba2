import Foundation
import HTTPTransport
import MailpulseCore
import MailpulseServer
import Redis
import SQLiteStore
import TestSupport

/// Many accounts across three `mailpulse serve` processes that share Redis and one SQLite file, behind one address (a
/// relay that hands each connection to the next live node, as a load balancer does): linking, memory per account on
/// each node and in Redis, a burst of changes over many accounts and how the nodes share it, one node killed under
/// such a burst, a renewal pass, and the Graph request rate while the scheduled rounds run. The schedule runs at its
/// defaults (a round of every account every 15 minutes, spread over them) from the start.
enum ClusterBench {
    static let nodes = 3
    static let messagesPerMailbox = 10
    static let warmAccounts = 10
    /// Accounts that get changes in a burst, each `changesPerAccount` of them.
    static let activeAccounts = 1_000
    static let changesPerAccount = 10
    /// Accounts whose changes are timed to their WebSocket (through the nodes that stay up).
    static let timedAccounts = 30

    /// What the bench keeps of a linked account.
    struct Linked: Sendable {
        var account: AccountID
        var token: String
        var mailbox: String
    }

    static func run(_ settings: BenchSettings, run: Int) async throws -> [BenchFigure] {
        let binaries = Bundle.main.executableURL!.deletingLastPathComponent()
        let folder = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        guard let redisURL = TestEnvironment.redisURL else { throw BenchError("REDIS_URL must point at a redis-server") }
        let redis = TestEnvironment.redisClient(maximumConnections: 2)
        let simulatorPort = try TestEnvironment.freePort()
        let simulator = try BenchProcess.simulator(port: simulatorPort, logIn: folder)
        defer { simulator.stop() }
        let ports = try (0..<Self.nodes).map { _ in try TestEnvironment.freePort() }
        let relay = try await TCPProxy(to: ports)
        defer { relay.close() }
        var configuration = MailpulseConfiguration()
        configuration.redisPrefix = TestEnvironment.uniquePrefix()
        configuration.sqlitePath = folder.appendingPathComponent("mail.sqlite").path
        let environment = [
            "PUBLIC_URL": "http://127.0.0.1:\(relay.port)",
            "REDIS_URL": "\(redisURL)",
            "REDIS_PREFIX": configuration.redisPrefix,
            "SQLITE_PATH": configuration.sqlitePath,
            "TOKEN_KEY_FILE": folder.appendingPathComponent("token.key").path,
            "IDENTITY_BASE_URL": "http://127.0.0.1:\(simulatorPort)",
            "GRAPH_BASE_URL": "http://127.0.0.1:\(simulatorPort)/v1.0",
            "LOG_LEVEL": "error",
            "RENEWAL_INTERVAL_SECONDS": "86400",
            // Every account is created from loopback.
            "ACCOUNTS_PER_CLIENT_PER_HOUR": "1000000",
        ]
        let mailpulse = binaries.appendingPathComponent("mailpulse").path
        let bench = BenchRun(simulator: "http://127.0.0.1:\(simulatorPort)", service: "http://127.0.0.1:\(relay.port)", configuration: configuration)
        var services: [BenchProcess] = []
        defer { for service in services { service.stop() } }
        for (index, port) in ports.enumerated() {
            // The first node makes the token key; the others start once it has.
            services.append(
                try BenchProcess(
                    mailpulse,
                    ["serve"],
                    environment: environment.merging(["HTTP_PORT": "\(port)"]) { $1 },
                    log: folder.appendingPathComponent("mailpulse-\(index).log")
                )
            )
            try await bench.waitFor("http://127.0.0.1:\(port)/health")
        }
        try await bench.waitFor("\(bench.simulator)/sim/mailboxes")
        // Every subscription within the renewal margin, so a pass renews each one.
        try await bench.setFaults("{\"subscriptionMaxMinutes\":60}")

        var linked = try await Self.link(bench, range: 0..<Self.warmAccounts, run: run)
        let idleBefore = try await Self.idle(services)
        let redisBefore = try await Self.usedMemory(redis)
        let passBefore = try ScaleBench.renewalPass(mailpulse, environment: environment)

        let start = ContinuousClock.now
        linked += try await Self.link(bench, range: Self.warmAccounts..<settings.clusterAccounts, run: run)
        let linkRate = Double(settings.clusterAccounts - Self.warmAccounts) / (ContinuousClock.now - start).timeInterval
        let idleAfter = try await Self.idle(services)
        let redisIdle = try await Self.usedMemory(redis)
        let idleAccountKeys = try await Self.keyBytes(redis, prefix: configuration.redisPrefix, account: linked[Self.warmAccounts].account)
        // Quiet but for the schedule: linking's follow-up rounds are over.
        let rates = try await Self.requestRates(bench, seconds: 120)
        let passAfter = try ScaleBench.renewalPass(mailpulse, environment: environment)
        guard passAfter.renewed == settings.clusterAccounts else {
            throw BenchError("the renewal pass renewed \(passAfter.renewed) of \(settings.clusterAccounts) subscriptions")
        }

        let active = Array(linked.suffix(min(Self.activeAccounts, linked.count)))
        let store = try SQLiteMailStore(path: configuration.sqlitePath)
        var truth = try await Self.truth(bench, active)
        let healthLatencies = try await ChangeBench.healthLatencies(bench, count: 200)
        let processedBefore = try await Self.processed(bench, ports)
        let burst = try await Self.burst(bench, active, truth: &truth, ports: ports, kill: nil)
        try await Self.waitUntilMirrored(store, active, truth)
        let processed = zip(try await Self.processed(bench, ports), processedBefore).map { $0 - $1 }
        MailpulseBench.progress("  notifications processed per node: \(processed)")
        let redisActive = try await Self.usedMemory(redis)
        let activeAccountKeys = try await Self.keyBytes(redis, prefix: configuration.redisPrefix, account: active[0].account)

        // The same burst again; the third node is killed halfway through it.
        let killed = services[2]
        let prefix = configuration.redisPrefix
        let takeover = try await Self.burst(bench, active, truth: &truth, ports: Array(ports.prefix(2))) {
            let at = ContinuousClock.now
            kill(killed.pid, SIGKILL)
            return try await Self.waitUntilTakenOver(redis, prefix: prefix, pid: killed.pid, since: at)
        }
        try await Self.waitUntilMirrored(store, active, truth)

        let accounts = Double(settings.clusterAccounts - Self.warmAccounts)
        let perNodeMemory = zip(idleAfter, idleBefore).map { ($0.kilobytes - $1.kilobytes) / accounts }
        let mean = Double(processed.reduce(0, +)) / Double(processed.count)
        let spread = processed.map { abs(Double($0) - mean) / mean * 100 }.max() ?? .nan
        let changes = active.count * Self.changesPerAccount
        return [
            BenchFigure(
                "\(Self.nodes) nodes, \(settings.clusterAccounts.formatted()) accounts: linked per second (sign-in, subscription, initial sync of \(Self.messagesPerMailbox) messages)",
                linkRate,
                unit: "accounts/s",
                baseline: "—",
                .nan,
                target: "—"
            ),
            BenchFigure(
                "\(Self.nodes) nodes: resident memory per account, the node that grew most",
                perNodeMemory.max() ?? .nan,
                unit: "KiB",
                baseline: "that node with \(Self.warmAccounts) accounts, KiB",
                idleBefore[perNodeMemory.firstIndex(of: perNodeMemory.max() ?? 0) ?? 0].kilobytes,
                target: "≤ 100 KB",
                hasRatio: false
            ),
            BenchFigure(
                "\(Self.nodes) nodes: CPU at idle per node, the busiest (the schedule's rounds included)",
                idleAfter.map(\.cpu).max() ?? .nan,
                unit: "% of a core",
                baseline: "with \(Self.warmAccounts) accounts",
                idleBefore.map(\.cpu).max() ?? .nan,
                target: "—"
            ),
            BenchFigure(
                "Redis bytes per idle account (`INFO memory` delta over \(Int(accounts).formatted()) accounts)",
                Double(redisIdle - redisBefore) / accounts,
                unit: "bytes",
                baseline: "`MEMORY USAGE` of one idle account's own keys",
                Double(idleAccountKeys),
                target: "—"
            ),
            BenchFigure(
                "Redis bytes added per active account (\(Self.changesPerAccount) changes each, `INFO memory` delta)",
                Double(redisActive - redisIdle) / Double(active.count),
                unit: "bytes",
                baseline: "`MEMORY USAGE` of one active account's own keys",
                Double(activeAccountKeys),
                target: "≤ 256 KiB (the event log's cap)"
            ),
            BenchFigure(
                "Burst of \(changes.formatted()) changes over \(active.count.formatted()) accounts: notifications processed per node, farthest from the mean",
                spread,
                unit: "%",
                baseline: "notifications processed per node, mean",
                mean,
                target: "≤ 20 %",
                hasRatio: false
            ),
            BenchFigure(
                "The burst's changes to browser, p50 (\(burst.latencies.count) timed)",
                BenchFigure.percentile(burst.latencies, 50),
                unit: "ms",
                baseline: "one GET /health round trip, p50",
                BenchFigure.percentile(healthLatencies, 50),
                target: "—"
            ),
            BenchFigure(
                "The burst's changes to browser, p99",
                BenchFigure.percentile(burst.latencies, 99),
                unit: "ms",
                baseline: "one GET /health round trip, p99",
                BenchFigure.percentile(healthLatencies, 99),
                target: "—"
            ),
            BenchFigure(
                "One node SIGKILLed in a burst: seconds until its stream entries and its share are taken over (mirror == truth after)",
                takeover.killed ?? .nan,
                unit: "s",
                baseline: "the burst's own duration, s",
                takeover.seconds,
                target: "≤ 30 s"
            ),
            BenchFigure(
                "One renewal pass over \(settings.clusterAccounts.formatted()) subscriptions (`mailpulse renew-subscriptions`, 16 at a time)",
                passAfter.seconds,
                unit: "s",
                baseline: "the same command over \(Self.warmAccounts)",
                passBefore.seconds,
                target: "—"
            ),
            BenchFigure(
                "Graph requests per second during scheduled rounds, the busiest second of \(rates.count) (\(Int(accounts).formatted()) accounts, 15-minute interval)",
                Double(rates.max() ?? 0),
                unit: "requests/s",
                baseline: "the mean second",
                Double(rates.reduce(0, +)) / Double(max(1, rates.count)),
                target: "no spike at a tick"
            ),
        ]
    }

    /// Creates the mailboxes and links their accounts one sign-in after another, then waits until every one is live.
    static func link(_ bench: BenchRun, range: Range<Int>, run: Int) async throws -> [Linked] {
        var linked: [Linked] = []
        for index in range {
            let address = "cluster\(run)-\(index)@outlook.com"
            let mailbox = try await bench.createMailbox(address, messages: Self.messagesPerMailbox)
            let (account, token, _) = try await bench.link(address)
            linked.append(Linked(account: account, token: token, mailbox: mailbox))
            if index % 500 == 499 { MailpulseBench.progress("  \(index + 1) accounts linked") }
        }
        for account in linked {
            try await bench.waitUntil(account.account, token: account.token)
        }
        return linked
    }

    /// Each node's resident memory, and its CPU over ten seconds after five to settle.
    static func idle(_ services: [BenchProcess]) async throws -> [(kilobytes: Double, cpu: Double)] {
        try await Task.sleep(for: .seconds(5))
        let before = try services.map { try $0.cpuSeconds() }
        let start = ContinuousClock.now
        try await Task.sleep(for: .seconds(10))
        let elapsed = (ContinuousClock.now - start).timeInterval
        return try zip(services, before).map { service, cpu in
            (try service.residentKilobytes(), (try service.cpuSeconds() - cpu) / elapsed * 100)
        }
    }

    /// Redis's `used_memory`.
    static func usedMemory(_ redis: RedisClient) async throws -> Int {
        let info = try await redis.send(["INFO", "memory"]).string ?? ""
        guard let line = info.split(separator: "\r\n").first(where: { $0.hasPrefix("used_memory:") }), let bytes = Int(line.dropFirst(12)) else {
            throw BenchError("INFO memory has no used_memory")
        }
        return bytes
    }

    /// `MEMORY USAGE` summed over the keys that name the account.
    static func keyBytes(_ redis: RedisClient, prefix: String, account: AccountID) async throws -> Int {
        var cursor = "0"
        var total = 0
        repeat {
            let reply = try await redis.send(["SCAN", RedisArgument(cursor), "MATCH", RedisArgument("\(prefix)*\(account)*"), "COUNT", "1000"])
            guard let parts = reply.array, parts.count == 2, let next = parts[0].string else { throw BenchError("SCAN answered \(reply)") }
            for key in parts[1].array?.compactMap(\.string) ?? [] {
                total += Int(try await redis.send(["MEMORY", "USAGE", RedisArgument(key)]).integer ?? 0)
            }
            cursor = next
        } while cursor != "0"
        return total
    }

    /// The simulator's truth for the accounts' mailboxes: message id → isRead, per account.
    static func truth(_ bench: BenchRun, _ accounts: [Linked]) async throws -> [AccountID: [String: Bool]] {
        var truth: [AccountID: [String: Bool]] = [:]
        for account in accounts {
            truth[account.account] = try await bench.truth(account.mailbox)
        }
        return truth
    }

    /// `mailpulse_notifications_processed_total` of each node that answers (0 for one that does not).
    static func processed(_ bench: BenchRun, _ ports: [Int]) async throws -> [Int] {
        var counts: [Int] = []
        for port in ports {
            let request = HTTPRequestData(method: "GET", url: URL(string: "http://127.0.0.1:\(port)/metrics")!, timeout: .seconds(5))
            let text =
                (try? await bench.transport.send(request))
                .map { String(decoding: $0.body, as: UTF8.self) } ?? ""
            let line = text.split(separator: "\n").first { $0.hasPrefix("mailpulse_notifications_processed_total ") }
            counts.append(line.flatMap { Double($0.split(separator: " ").last ?? "") }.map { Int($0) } ?? 0)
        }
        return counts
    }

    /// Flips every message of every account once, 16 edits at a time, timing the changes of a few accounts to their
    /// WebSockets, spread over the nodes on `ports`; `kill`, when given, runs halfway through and answers what it measured. Answers the
    /// latencies, the burst's duration, and what `kill` measured.
    static func burst(
        _ bench: BenchRun,
        _ accounts: [Linked],
        truth: inout [AccountID: [String: Bool]],
        ports: [Int],
        kill: (@Sendable () async throws -> Double)?
    ) async throws -> (latencies: [Double], seconds: Double, killed: Double?) {
        var edits: [(mailbox: String, account: AccountID, id: String, isRead: Bool)] = []
        for index in 0..<Self.changesPerAccount {
            for account in accounts {
                guard let ids = truth[account.account]?.keys.sorted(), index < ids.count else { continue }
                let isRead = !(truth[account.account]?[ids[index]] ?? false)
                truth[account.account]?[ids[index]] = isRead
                edits.append((account.mailbox, account.account, ids[index], isRead))
            }
        }
        let timed = Array(accounts.prefix(Self.timedAccounts))
        let sent = SharedValue<[String: ContinuousClock.Instant]>([:])
        let arrived = SharedValue<[String: ContinuousClock.Instant]>([:])
        let listeners = try await EventListeners(
            timed.enumerated().map { index, account in
                (url: "http://127.0.0.1:\(ports[index % ports.count])", account: account.account, token: account.token)
            }
        ) { account, id, at in
            arrived.update { arrived in
                if arrived["\(account) \(id)"] == nil { arrived["\(account) \(id)"] = at }
            }
        }
        defer { listeners.stop() }
        // Message ids repeat across the simulated mailboxes: a change is named by its account and id.
        let timedIDs = Set(edits.filter { edit in timed.contains { $0.account == edit.account } }.map { "\($0.account) \($0.id)" })
        let start = ContinuousClock.now
        var killed: Task<Double, any Error>?
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, edit) in edits.enumerated() {
                if index >= 16 { try await group.next() }
                if index == edits.count / 2, let kill { killed = Task { try await kill() } }
                group.addTask {
                    let name = "\(edit.account) \(edit.id)"
                    if timedIDs.contains(name) { sent.update { $0[name] = ContinuousClock.now } }
                    let (status, _, _) = try await bench.send(
                        "PATCH",
                        "\(bench.simulator)/sim/mailboxes/\(edit.mailbox)/messages/\(edit.id)",
                        json: "{\"isRead\":\(edit.isRead)}"
                    )
                    guard status == 200 else { throw BenchError("graph-sim answered \(status) to an edit") }
                }
            }
            try await group.waitForAll()
        }
        try await BenchRun.waitUntil("every timed change reached its socket") { timedIDs.isSubset(of: arrived.value.keys) }
        let seconds = (ContinuousClock.now - start).timeInterval
        let latencies = sent.value.compactMap { id, at in arrived.value[id].map { (at.duration(to: $0)).timeInterval * 1000 } }
        return (latencies, seconds, try await killed?.value)
    }

    /// Seconds from `since` until the killed node's stream entries are all claimed by others and it is gone from the
    /// nodes that share the work.
    static func waitUntilTakenOver(_ redis: RedisClient, prefix: String, pid: Int32, since: ContinuousClock.Instant) async throws -> Double {
        let node = "\(ProcessInfo.processInfo.hostName)-\(pid)"
        try await BenchRun.waitUntil("the killed node's work is taken over", timeout: .seconds(180)) {
            let pending = try await redis.send(["XPENDING", RedisArgument("\(prefix)notifications"), "workers"])
            let consumers = pending.array?.last?.array ?? []
            let held = consumers.contains { $0.array?.first?.string?.hasPrefix(node + "-") == true && ($0.array?.last?.string ?? "0") != "0" }
            let members = try await redis.send(["ZRANGE", RedisArgument("\(prefix)members:nodes"), "0", "-1"]).array?.compactMap(\.string) ?? []
            return !held && !members.contains { $0.hasPrefix(node + "-") }
        }
        return (ContinuousClock.now - since).timeInterval
    }

    /// Polls the shared store until every account's messages read as the simulator says.
    static func waitUntilMirrored(_ store: SQLiteMailStore, _ accounts: [Linked], _ truth: [AccountID: [String: Bool]]) async throws {
        try await BenchRun.waitUntil("mirror == truth for every active account", timeout: .seconds(300)) {
            for account in accounts {
                for (id, isRead) in truth[account.account] ?? [:] where try await store.message(id, of: account.account)?.isRead != isRead {
                    return false
                }
            }
            return true
        }
    }

    /// The simulator's requests in each of `seconds` seconds.
    static func requestRates(_ bench: BenchRun, seconds: Int) async throws -> [Int] {
        var rates: [Int] = []
        var last = try await Self.requestsTotal(bench)
        for _ in 0..<seconds {
            try await Task.sleep(for: .seconds(1))
            let now = try await Self.requestsTotal(bench)
            rates.append(now - last)
            last = now
        }
        return rates
    }

    static func requestsTotal(_ bench: BenchRun) async throws -> Int {
        let (_, stats, _) = try await bench.send("GET", "\(bench.simulator)/sim/stats?summary=true")
        guard let total = stats["requestsTotal"] as? Int else { throw BenchError("graph-sim's stats have no requestsTotal") }
        return total
    }
}
