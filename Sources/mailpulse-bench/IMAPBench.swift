import Foundation
import MailpulseCore
import TestSupport

/// IMAP accounts against a Dovecot of the bench's own: the initial sync of a large mailbox into SQLite beside the
/// store's batch upserts alone, and a change made by another client (a flag set with `doveadm`) timed to its event at
/// a WebSocket client, pushed through NOTIFY (Dovecot) and through IDLE (a Dovecot announcing what Gmail announces).
enum IMAPBench {
    static let user = "bench@example.com"

    static func run(_ settings: BenchSettings, run: Int) async throws -> [BenchFigure] {
        guard DovecotTestServer.isInstalled else { throw BenchError("the IMAP benchmark needs Dovecot (apt-get install dovecot-imapd)") }
        let (rate, notifyLatencies, health) = try await DovecotTestServer.run(capabilities: nil) { server in
            try await Self.seed(server, messages: settings.imapMessages)
            return try await BenchRun.with { bench in
                let started = ContinuousClock.now
                let (account, token) = try await Self.link(bench, server)
                try await bench.waitUntil(account, token: token)
                let rate = Double(settings.imapMessages) / (ContinuousClock.now - started).timeInterval
                let latencies = try await Self.changeLatencies(bench, server, account: account, token: token, changes: settings.imapChanges)
                return (rate, latencies, try await ChangeBench.healthLatencies(bench, count: 200))
            }
        }
        let idleLatencies = try await DovecotTestServer.run(capabilities: DovecotTestServer.gmailCapabilities) { server in
            try await Self.seed(server, messages: settings.imapChanges)
            return try await BenchRun.with { bench in
                let (account, token) = try await Self.link(bench, server)
                try await bench.waitUntil(account, token: token)
                return try await Self.changeLatencies(bench, server, account: account, token: token, changes: settings.imapChanges)
            }
        }
        let raw = try await SyncBench.rawUpsertRate(messages: settings.imapMessages)
        let healthP50 = BenchFigure.percentile(health, 50)
        let healthP99 = BenchFigure.percentile(health, 99)
        return [
            BenchFigure(
                "IMAP initial sync, \(settings.imapMessages.formatted()) messages from Dovecot into SQLite",
                rate,
                unit: "messages/s",
                baseline: "SQLite batch upserts alone",
                raw,
                target: "≥ 2,000 messages/s"
            ),
            BenchFigure(
                "IMAP change to browser through NOTIFY, p50 over \(settings.imapChanges) flag changes (doveadm → Dovecot → delta round → store → WebSocket)",
                BenchFigure.percentile(notifyLatencies, 50),
                unit: "ms",
                baseline: "one GET /health round trip, p50",
                healthP50,
                target: "< 2,000 ms"
            ),
            BenchFigure(
                "IMAP change to browser through NOTIFY, p99",
                BenchFigure.percentile(notifyLatencies, 99),
                unit: "ms",
                baseline: "one GET /health round trip, p99",
                healthP99,
                target: "< 5,000 ms"
            ),
            BenchFigure(
                "IMAP change to browser through IDLE (Gmail's capabilities), p50",
                BenchFigure.percentile(idleLatencies, 50),
                unit: "ms",
                baseline: "one GET /health round trip, p50",
                healthP50,
                target: "< 2,000 ms"
            ),
            BenchFigure(
                "IMAP change to browser through IDLE, p99",
                BenchFigure.percentile(idleLatencies, 99),
                unit: "ms",
                baseline: "one GET /health round trip, p99",
                healthP99,
                target: "< 5,000 ms"
            ),
        ]
    }

    /// Fills the user's inbox with `messages` messages at once, through an mbox file `doveadm import` reads.
    static func seed(_ server: DovecotTestServer, messages: Int) async throws {
        let folder = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let mbox = folder.appendingPathComponent("inbox")
        var text = ""
        text.reserveCapacity(messages * 260)
        for number in 0..<messages {
            text += "From bench@example.com Wed Nov 25 10:00:00 2026\nFrom: Grace Hopper <grace@example.net>\nTo: \(Self.user)\n"
            text += "Subject: Quarterly report \(number)\nMessage-ID: <\(number)@example.com>\nDate: Wed, 25 Nov 2026 10:00:00 +0000\n\n"
            text += "Numbers for the quarter, message \(number), with a preview of some length.\n\n"
        }
        try text.write(to: mbox, atomically: true, encoding: .utf8)
        // The import runs as the mail's owner, nobody, and locks the mbox beside it.
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: folder.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: mbox.path)
        try await server.doveadm(["import", "-u", Self.user, "mbox:\(folder.path):INBOX=\(mbox.path)", "", "mailbox", "INBOX"])
    }

    static func link(_ bench: BenchRun, _ server: DovecotTestServer) async throws -> (AccountID, String) {
        let body = """
            {"provider":"imap","imap":{"host":"127.0.0.1","port":\(server.port),"security":"none","username":"\(Self.user)","password":"secret"}}
            """
        let (status, created, _) = try await bench.send("POST", "\(bench.service)/api/accounts", json: body)
        guard status == 201, let id = created["id"] as? String, let account = AccountID(id), let token = created["token"] as? String else {
            throw BenchError("IMAP account not linked: \(status) \(created)")
        }
        return (account, token)
    }

    /// One change after another, each setting `\Seen` on the next message with `doveadm`; milliseconds from the
    /// command's start to the message's `message.upserted` event at a WebSocket client of the account.
    static func changeLatencies(
        _ bench: BenchRun,
        _ server: DovecotTestServer,
        account: AccountID,
        token: String,
        changes: Int
    ) async throws -> [Double] {
        try await bench.eventLatencies(account: account, token: token, changes: Array(1...changes)) { uid in
            try await server.doveadm(["flags", "add", "-u", Self.user, "\\Seen", "mailbox", "INBOX", "uid", "\(uid)"])
        } matches: { uid, event in
            BenchRun.isUpsert(event) { ($0["id"] as? String)?.hasSuffix(".\(uid)") == true && $0["isRead"] as? Bool == true }
        }
    }
}
