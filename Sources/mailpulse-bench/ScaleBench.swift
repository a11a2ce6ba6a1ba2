import Foundation
import MailpulseCore
import MailpulseServer
import SQLiteStore
import TestSupport

/// Many linked accounts on one node: graph-sim and the service as processes of their own (release builds), so
/// `/proc` tells the service's resident memory and CPU time apart from everything else.
enum ScaleBench {
    static let messagesPerMailbox = 20

    static func run(_ settings: BenchSettings, run: Int) async throws -> [BenchFigure] {
        let binaries = Bundle.main.executableURL!.deletingLastPathComponent()
        let folder = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        guard let redisURL = TestEnvironment.redisURL else { throw BenchError("REDIS_URL must point at a redis-server") }
        let simulatorPort = try TestEnvironment.freePort()
        let servicePort = try TestEnvironment.freePort()
        let simulator = try BenchProcess.simulator(port: simulatorPort, logIn: folder)
        defer { simulator.stop() }
        let environment = [
            "HTTP_PORT": "\(servicePort)",
            "REDIS_URL": "\(redisURL)",
            "REDIS_PREFIX": TestEnvironment.uniquePrefix(),
            "SQLITE_PATH": folder.appendingPathComponent("mail.sqlite").path,
            "TOKEN_KEY_FILE": folder.appendingPathComponent("token.key").path,
            "IDENTITY_BASE_URL": "http://127.0.0.1:\(simulatorPort)",
            "GRAPH_BASE_URL": "http://127.0.0.1:\(simulatorPort)/v1.0",
            "LOG_LEVEL": "error",
            "SYNC_INTERVAL_SECONDS": "0",
            "RENEWAL_INTERVAL_SECONDS": "86400",
            // Every account is created from loopback.
            "ACCOUNTS_PER_CLIENT_PER_HOUR": "1000000",
        ]
        let mailpulse = binaries.appendingPathComponent("mailpulse").path
        let service = try BenchProcess(mailpulse, ["serve"], environment: environment, log: folder.appendingPathComponent("mailpulse.log"))
        defer { service.stop() }
        let bench = BenchRun(
            simulator: "http://127.0.0.1:\(simulatorPort)",
            service: "http://127.0.0.1:\(servicePort)",
            configuration: MailpulseConfiguration()
        )
        try await bench.waitFor("\(bench.simulator)/sim/mailboxes")
        try await bench.waitFor("\(bench.service)/health")
        // Every subscription within the renewal margin, so a pass renews each one.
        try await bench.setFaults("{\"subscriptionMaxMinutes\":60}")

        // Warm: a few accounts linked first, so pools, caches and code pages count as the node's, not the accounts'.
        let warm = 10
        try await Self.link(bench, range: 0..<warm, run: run)
        let idleBefore = try await Self.idle(service)
        let passBefore = try Self.renewalPass(mailpulse, environment: environment)

        let start = ContinuousClock.now
        try await Self.link(bench, range: warm..<settings.accounts, run: run)
        let linkRate = Double(settings.accounts - warm) / (ContinuousClock.now - start).timeInterval
        let idleAfter = try await Self.idle(service)
        let passAfter = try Self.renewalPass(mailpulse, environment: environment)
        guard passAfter.renewed == settings.accounts else {
            throw BenchError("the renewal pass renewed \(passAfter.renewed) of \(settings.accounts) subscriptions")
        }
        let accounts = Double(settings.accounts - warm)
        return [
            BenchFigure(
                "Resident memory per idle account (\(settings.accounts.formatted()) accounts on one node)",
                (idleAfter.kilobytes - idleBefore.kilobytes) / accounts,
                unit: "KiB",
                baseline: "the node with \(warm) accounts, KiB",
                idleBefore.kilobytes,
                target: "≤ 100 KB",
                hasRatio: false
            ),
            BenchFigure(
                "CPU at idle with \(settings.accounts.formatted()) accounts",
                idleAfter.cpu,
                unit: "% of a core",
                baseline: "with \(warm) accounts",
                idleBefore.cpu,
                target: "—"
            ),
            BenchFigure(
                "One renewal pass over \(settings.accounts.formatted()) subscriptions (`mailpulse renew-subscriptions`)",
                passAfter.seconds,
                unit: "s",
                baseline: "the same command over \(warm)",
                passBefore.seconds,
                target: "—"
            ),
            BenchFigure(
                "Accounts linked per second (sign-in, subscription, initial sync of \(Self.messagesPerMailbox) messages)",
                linkRate,
                unit: "accounts/s",
                baseline: "—",
                .nan,
                target: "—"
            ),
        ]
    }

    /// Creates the mailboxes and links their accounts one sign-in after another, then waits until every one is live.
    static func link(_ bench: BenchRun, range: Range<Int>, run: Int) async throws {
        var linked: [(AccountID, String)] = []
        for index in range {
            let address = "scale\(run)-\(index)@outlook.com"
            _ = try await bench.createMailbox(address, messages: Self.messagesPerMailbox)
            let (account, token, _) = try await bench.link(address)
            linked.append((account, token))
        }
        for (account, token) in linked {
            try await bench.waitUntil(account, token: token)
        }
    }

    /// The service's resident memory, and its CPU over ten idle seconds after five to settle.
    static func idle(_ service: BenchProcess) async throws -> (kilobytes: Double, cpu: Double) {
        try await Task.sleep(for: .seconds(5))
        let before = try service.cpuSeconds()
        let start = ContinuousClock.now
        try await Task.sleep(for: .seconds(10))
        let cpu = (try service.cpuSeconds() - before) / (ContinuousClock.now - start).timeInterval * 100
        return (try service.residentKilobytes(), cpu)
    }

    /// Runs `mailpulse renew-subscriptions` to its end; answers how long it took and how many it renewed.
    static func renewalPass(_ mailpulse: String, environment: [String: String]) throws -> (seconds: Double, renewed: Int) {
        let start = ContinuousClock.now
        let output = try BenchProcess.output(of: [mailpulse, "renew-subscriptions"], environment: environment)
        let seconds = (ContinuousClock.now - start).timeInterval
        guard let range = output.range(of: #"renewed \d+"#, options: .regularExpression), let renewed = Int(output[range].dropFirst(8)) else {
            throw BenchError("renew-subscriptions printed no report:\n\(output)")
        }
        return (seconds, renewed)
    }
}
