import Foundation
import MailpulseCore
import TestSupport
import Testing

/// What the convergence tests do as the user in Outlook, and how they judge the mirror.
enum ConvergenceScenario {
    /// What the random changes did.
    struct Changes {
        /// Changes whose notification needs a fetch (all but deletions).
        var fetchable = 0
    }

    /// Links the simulated user `address` through the service, as the browser would; answers the account and its token.
    static func link(_ harness: LinkHarness, as address: String) async throws -> (AccountID, token: String) {
        let (id, loginURL, token) = try await harness.createAccount()
        #expect(try await harness.returnFromProvider(try await harness.signIn(loginURL, as: address)).status == 302)
        return (try #require(AccountID(id)), token)
    }

    /// Makes `count` random changes as the user: new mail, read/unread, flags, moves, deletions to Deleted Items
    /// and permanent deletions.
    static func randomChanges(_ harness: LinkHarness, mailbox: String, count: Int, seed: UInt64) async throws -> Changes {
        var generator = SeededGenerator(seed: seed)
        var ids = Array(try await MailboxSyncTests.truth(harness, mailbox: mailbox).keys.sorted())
        let folders = ["inbox", "archive", "junkemail", "drafts", "sentitems"]
        let sim = "\(harness.simulator)/sim/mailboxes/\(mailbox)/messages"
        var changes = Changes()
        for index in 0..<count {
            let roll = Int.random(in: 0..<100, using: &generator)
            let position = Int.random(in: 0..<ids.count, using: &generator)
            let id = ids[position]
            let reply: LinkHarness.Reply
            switch roll {
            case 0..<15:
                let folder = folders.randomElement(using: &generator)!
                reply = try await harness.send(
                    "POST",
                    sim,
                    json: "{\"folder\":\"\(folder)\",\"subject\":\"change \(index)\",\"from\":{\"name\":\"Grace\",\"address\":\"grace@example.net\"}}"
                )
                if let newID = reply.json["id"] as? String { ids.append(newID) }
            case 15..<40:
                reply = try await harness.send("PATCH", "\(sim)/\(id)", json: "{\"isRead\":\(Bool.random(using: &generator))}")
            case 40..<60:
                let flag = ["flagged", "complete", "notFlagged"].randomElement(using: &generator)!
                reply = try await harness.send("PATCH", "\(sim)/\(id)", json: "{\"flag\":\"\(flag)\"}")
            case 60..<80:
                reply = try await harness.send(
                    "POST",
                    "\(sim)/\(id)/move",
                    json: "{\"destination\":\"\(folders.randomElement(using: &generator)!)\"}"
                )
            case 80..<90:
                reply = try await harness.send("DELETE", "\(sim)/\(id)")
                // Deleting from Deleted Items removes for good (204), as in Outlook: the id is gone.
                if reply.status == 204 { ids.remove(at: position) }
            default:
                reply = try await harness.send("DELETE", "\(sim)/\(id)?permanent=true")
                ids.remove(at: position)
            }
            #expect((200..<300).contains(reply.status), "change \(index): \(reply.text)")
            if roll < 90 { changes.fetchable += 1 }
        }
        return changes
    }

    /// Polls until the store mirrors the simulator exactly, for at most `timeout`; then checks it in detail.
    static func expectConverged(
        _ harness: LinkHarness,
        _ node: TestNode,
        _ account: AccountID,
        mailbox: String,
        timeout: Duration = .seconds(90)
    ) async throws {
        _ = try await TestEnvironment.eventually(timeout: timeout) {
            try await MailboxSyncTests.mirror(node, account) == MailboxSyncTests.truth(harness, mailbox: mailbox)
        }
        try await MailboxSyncTests.expectConverged(harness, node, account, mailbox: mailbox)
    }

    /// The simulator's request count of one endpoint for a mailbox.
    static func requests(_ harness: LinkHarness, _ endpoint: String, mailbox: String) async throws -> Int {
        let stats = try await harness.send("GET", "\(harness.simulator)/sim/stats")
        return ((stats.json["requests"] as? [String: Any])?[endpoint] as? [String: Any])?[mailbox] as? Int ?? 0
    }

    /// A simulator counter.
    static func stat(_ harness: LinkHarness, _ name: String) async throws -> Int {
        try await harness.send("GET", "\(harness.simulator)/sim/stats").json[name] as? Int ?? 0
    }
}
