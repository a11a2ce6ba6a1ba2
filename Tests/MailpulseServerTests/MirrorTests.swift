import Foundation
import MailpulseCore
import TestSupport
import Testing

/// What the pages read: folders with their counts, pages of messages by folder and by search, recent events.
@Suite(.enabled(if: TestEnvironment.hasRedis, "needs REDIS_URL (make test provides it)"))
struct MirrorTests {
    static func get(_ harness: LinkHarness, _ path: String, token: String?) async throws -> LinkHarness.Reply {
        try await harness.send("GET", path, headers: token.map { [("Authorization", "Bearer \($0)")] } ?? [])
    }

    /// Every message of a listing, following `next` until it is null.
    static func all(_ harness: LinkHarness, _ path: String, token: String) async throws -> [[String: Any]] {
        var messages: [[String: Any]] = []
        var cursor: String?
        repeat {
            let reply = try await Self.get(harness, path + (cursor.map { "&cursor=\($0)" } ?? ""), token: token)
            #expect(reply.status == 200, "\(reply.text)")
            messages += reply.json["messages"] as? [[String: Any]] ?? []
            #expect(reply.json.keys.contains("next"), "next is always present, null on the last page")
            cursor = reply.json["next"] as? String
        } while cursor != nil
        return messages
    }

    @Test func messagesComeNewestFirstPageByPageByFolderAndBySearch() async throws {
        try await LinkHarness.run { harness in
            let mailbox = try await harness.createMailbox("ada@outlook.com", messages: 40)
            let (account, token) = try await TokenRefreshTests.link(harness, createMailbox: false)
            let truth = try await MailboxSyncTests.truth(harness, mailbox: mailbox)

            let listed = try await Self.all(harness, "/api/accounts/\(account)/messages?limit=7", token: token)
            #expect(Set(listed.compactMap { $0["id"] as? String }) == Set(truth.keys))
            #expect(listed.count == truth.count, "no message twice across pages")
            let order = listed.map { ($0["receivedAt"] as? Int ?? 0, $0["id"] as? String ?? "") }
            #expect(zip(order, order.dropFirst()).allSatisfy { $0.0 > $1.0 || ($0.0 == $1.0 && $0.1 > $1.1) }, "newest first")

            let folders = try #require(
                try await Self.get(harness, "/api/accounts/\(account)/mailboxes", token: token).json["mailboxes"] as? [[String: Any]]
            )
            #expect(folders.contains { $0["wellKnownName"] as? String == "inbox" })
            let stored = folders.map { (($0["stored"] as? [String: Any])?["total"] as? Int) ?? 0 }
            #expect(stored.reduce(0, +) == truth.count, "the stored counts of the folders add up to the mirror")
            let busiest = try #require(
                folders.max { (($0["stored"] as? [String: Any])?["total"] as? Int ?? 0) < (($1["stored"] as? [String: Any])?["total"] as? Int ?? 0) }
            )
            let folderID = try #require(busiest["id"] as? String)
            let inFolder = try await Self.all(harness, "/api/accounts/\(account)/messages?limit=5&mailbox=\(folderID)", token: token)
            #expect(inFolder.count == (busiest["stored"] as? [String: Any])?["total"] as? Int)
            #expect(inFolder.allSatisfy { $0["mailboxID"] as? String == folderID })

            let arrival = #"{"folder":"inbox","subject":"Quarterly zebra census","from":{"name":"Ottoline Quibble","address":"oq@example.org"}}"#
            #expect(try await harness.send("POST", "\(harness.simulator)/sim/mailboxes/\(mailbox)/messages", json: arrival).status == 201)
            let found = try await TestEnvironment.eventually {
                try await Self.all(harness, "/api/accounts/\(account)/messages?q=zebra", token: token).count == 1
            }
            #expect(found, "the new message is found by a word of its subject")
            let bySender = try await Self.all(harness, "/api/accounts/\(account)/messages?q=quibble", token: token)
            #expect(bySender.map { $0["subject"] as? String } == ["Quarterly zebra census"], "and by its sender's name")
        }
    }

    @Test func recentEventsCarryTheirTimesAndTheSequenceToResumeFrom() async throws {
        try await LinkHarness.run { harness in
            let before = Date().timeIntervalSince1970 * 1000
            let (account, token) = try await TokenRefreshTests.link(harness)
            let reply = try await Self.get(harness, "/api/accounts/\(account)/events", token: token)
            #expect(reply.status == 200)
            let seq = try #require(reply.json["seq"] as? Int)
            let events = try #require(reply.json["events"] as? [[String: Any]])
            #expect(events.last?["seq"] as? Int == seq)
            #expect(events.contains { $0["type"] as? String == "account.status" && $0["status"] as? String == "live" })
            #expect(events.allSatisfy { ($0["at"] as? Double ?? 0) >= before - 1_000 })
        }
    }

    @Test func badQueriesAreRefusedAndAnotherAccountsDataIsNotFound() async throws {
        try await LinkHarness.run { harness in
            let (account, token) = try await TokenRefreshTests.link(harness)
            let messages = "/api/accounts/\(account)/messages"
            for query in ["limit=0", "limit=201", "limit=ten", "cursor=%21%21", "q=\(String(repeating: "a", count: 257))"] {
                let reply = try await Self.get(harness, "\(messages)?\(query)", token: token)
                #expect(reply.status == 400, "\(query)")
                #expect((reply.json["error"] as? [String: Any])?["message"] is String, "\(query): \(reply.text)")
            }
            let (_, _, otherToken) = try await harness.createAccount()
            for path in [messages, "/api/accounts/\(account)/mailboxes", "/api/accounts/\(account)/events"] {
                #expect(try await Self.get(harness, path, token: nil).status == 401)
                #expect(try await Self.get(harness, path, token: otherToken).status == 404)
            }
        }
    }
}
