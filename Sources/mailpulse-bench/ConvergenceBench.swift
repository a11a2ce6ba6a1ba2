import Foundation
import MailpulseCore
import MailpulseServer
import SQLiteStore

/// Issue 17's scenario: 120 changes made during the initial sync of a 600-message mailbox while graph-sim drops 20 % of
/// notifications, duplicates 30 %, reorders and delays them 0–2 s and fails 5 % of Graph requests; the service runs
/// its defaults with no scheduled round, so what the notifications lost only the folders' doorbell rounds repair.
/// Timed from the last change until the mirror equals the truth, and the Graph requests the changes cost beside the
/// same link and sync without them.
enum ConvergenceBench {
    static let messages = 600
    static let changes = 120
    static let faults = """
        {"dropNotifications":0.2,"duplicateNotifications":0.3,"notificationDelayMs":[0,2000],"reorderNotifications":true,\
        "serverErrorRate":0.05}
        """

    static func run(_ settings: BenchSettings, run: Int) async throws -> [BenchFigure] {
        try await BenchRun.with { bench in
            try await bench.setFaults(Self.faults)
            let store = try SQLiteMailStore(path: bench.configuration.sqlitePath)
            let quiet = try await Self.linked(bench, store: store, "quiet\(run)@outlook.com", changes: 0)
            let busy = try await Self.linked(bench, store: store, "busy\(run)@outlook.com", changes: Self.changes)
            return [
                BenchFigure(
                    "Seconds from the last of \(Self.changes) changes (made during the initial sync, notifications faulty) until mirror == truth",
                    busy.seconds,
                    unit: "s",
                    baseline: "the scheduled round that repaired it before",
                    MailpulseConfiguration().syncInterval.timeInterval,
                    target: "≤ 60 s"
                ),
                BenchFigure(
                    "Graph requests per change (link + sync with \(Self.changes) changes, less the same without them)",
                    Double(busy.requests - quiet.requests) / Double(Self.changes),
                    unit: "requests",
                    baseline: "requests of the link and sync without changes, per message",
                    Double(quiet.requests) / Double(Self.messages),
                    target: "—"
                ),
            ]
        }
    }

    /// Links a new mailbox, makes `changes` changes as soon as it is linked, and waits until the mirror equals the
    /// truth: answers the seconds from the last change and the Graph requests the mailbox cost.
    private static func linked(
        _ bench: BenchRun,
        store: SQLiteMailStore,
        _ address: String,
        changes: Int
    ) async throws -> (seconds: Double, requests: Int) {
        let mailbox = try await bench.createMailbox(address, messages: Self.messages)
        let (account, token, _) = try await bench.link(address)
        var generator = SystemRandomNumberGenerator()
        var ids = try await bench.truth(mailbox).keys.sorted()
        let sim = "\(bench.simulator)/sim/mailboxes/\(mailbox)/messages"
        for index in 0..<changes {
            let id = ids[Int.random(in: 0..<ids.count, using: &generator)]
            switch index % 6 {
            case 0:
                let (_, created, _) = try await bench.send("POST", sim, json: "{\"folder\":\"inbox\",\"subject\":\"new \(index)\"}")
                if let new = created["id"] as? String { ids.append(new) }
            case 1: _ = try await bench.send("PATCH", "\(sim)/\(id)", json: "{\"isRead\":true}")
            case 2: _ = try await bench.send("PATCH", "\(sim)/\(id)", json: "{\"isRead\":false}")
            case 3: _ = try await bench.send("POST", "\(sim)/\(id)/move", json: "{\"destination\":\"archive\"}")
            case 4: _ = try await bench.send("DELETE", "\(sim)/\(id)")
            default:
                _ = try await bench.send("DELETE", "\(sim)/\(id)?permanent=true")
                ids.removeAll { $0 == id }
            }
        }
        let lastChange = ContinuousClock.now
        try await bench.waitUntil(account, token: token)
        try await BenchRun.waitUntil("the mirror equals the truth", timeout: .seconds(900)) {
            try await Self.mirror(store, account) == bench.truth(mailbox)
        }
        let seconds = (ContinuousClock.now - lastChange).timeInterval
        return (seconds, try await bench.requests(mailbox))
    }

    /// The store's messages of an account: id → isRead.
    private static func mirror(_ store: SQLiteMailStore, _ account: AccountID) async throws -> [String: Bool] {
        var mirror: [String: Bool] = [:]
        var cursor: PageCursor?
        repeat {
            let page = try await store.messages(MessageQuery(accountID: account, limit: 500, cursor: cursor))
            for message in page.messages { mirror[message.id] = message.isRead }
            cursor = page.next
        } while cursor != nil
        return mirror
    }
}
