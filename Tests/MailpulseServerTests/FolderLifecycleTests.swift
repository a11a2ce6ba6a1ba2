import Foundation
import MailpulseCore
import MailpulseServer
import TestSupport
import Testing

/// Folders live: created, renamed, moved and deleted in Outlook (graph-sim's control API, as a user would), they
/// appear, change and disappear in the mirror and in the API the data page reads.
@Suite(.enabled(if: TestEnvironment.hasRedis, "needs REDIS_URL (make test provides it)"))
struct FolderLifecycleTests {
    /// The folders the API lists for the account: id → display name.
    static func folders(_ harness: LinkHarness, _ account: AccountID, token: String) async throws -> [String: String] {
        let reply = try await harness.send(
            "GET",
            "\(harness.publicURL)/api/accounts/\(account)/mailboxes",
            headers: [("Authorization", "Bearer \(token)")]
        )
        let listed = reply.json["mailboxes"] as? [[String: Any]] ?? []
        return Dictionary(
            uniqueKeysWithValues: listed.compactMap { folder in
                (folder["id"] as? String).map { ($0, folder["displayName"] as? String ?? "") }
            }
        )
    }

    // No sync schedule runs in this harness: the folder comes with the message's own notification (the unknown-folder
    // rule, unit-tested in SyncEngineTests) or its folder's doorbell. The deadline is generous because the whole suite
    // shares two cores; the pages' test holds the 2 s promise.
    @Test func aNewFolderWithMailMovedIntoItShowsWithinSeconds() async throws {
        try await LinkHarness.run { harness in
            let mailbox = try await harness.createMailbox("ada@outlook.com", messages: 20)
            let (account, token) = try await ConvergenceScenario.link(harness, as: "ada@outlook.com")
            #expect(try await harness.waitForStatus(account.description, token: token, "live") == "live")
            let created = try await harness.send(
                "POST",
                "\(harness.simulator)/sim/mailboxes/\(mailbox)/folders",
                json: #"{"displayName":"Projects"}"#
            )
            #expect(created.status == 201)
            let folder = try #require(created.json["id"] as? String)
            let message = try #require(try await MailboxSyncTests.truth(harness, mailbox: mailbox).keys.sorted().first)
            let moved = try await harness.send(
                "POST",
                "\(harness.simulator)/sim/mailboxes/\(mailbox)/messages/\(message)/move",
                json: "{\"destination\":\"\(folder)\"}"
            )
            #expect(moved.status == 200 || moved.status == 201)
            let node = try TestNode(harness)
            let shown = try await TestEnvironment.eventually(timeout: .seconds(10)) {
                let listed = try await Self.folders(harness, account, token: token)
                let stored = try await node.store.message(message, of: account)
                return listed[folder] == "Projects" && stored?.mailboxID == folder
            }
            #expect(shown, "the folder and the message in it, within seconds of the move")
        }
    }

    @Test func renamedMovedAndDeletedFoldersAreFollowedByTheNextDeltaRound() async throws {
        try await LinkHarness.run { harness in
            let mailbox = try await harness.createMailbox("ada@outlook.com", messages: 60)
            let folders = "\(harness.simulator)/sim/mailboxes/\(mailbox)/folders"
            let created = try await harness.send("POST", folders, json: #"{"displayName":"Receipts 2026"}"#)
            let folder = try #require(created.json["id"] as? String)
            let message = try #require(try await MailboxSyncTests.truth(harness, mailbox: mailbox).keys.sorted().first)
            let sim = "\(harness.simulator)/sim/mailboxes/\(mailbox)/messages"
            _ = try await harness.send("POST", "\(sim)/\(message)/move", json: "{\"destination\":\"\(folder)\"}")
            let (account, token) = try await ConvergenceScenario.link(harness, as: "ada@outlook.com")
            #expect(try await harness.waitForStatus(account.description, token: token, "live") == "live")
            let node = try TestNode(harness)
            let subscription = try #require(try await node.store.account(account)?.subscription)
            #expect(try await Self.folders(harness, account, token: token)[folder] == "Receipts 2026")

            // Renamed: the next round (here the backfill after a `missed` lifecycle event) shows the new name.
            #expect(try await harness.send("PATCH", "\(folders)/\(folder)", json: #"{"displayName":"Receipts"}"#).status == 200)
            try await harness.sendLifecycleEvent("missed", for: subscription.id)
            let renamed = try await TestEnvironment.eventually(timeout: .seconds(20)) {
                try await Self.folders(harness, account, token: token)[folder] == "Receipts"
            }
            #expect(renamed)

            // Deleted: Outlook moves it into Deleted Items, then deleting it there removes it and its mail for good.
            #expect(try await harness.send("DELETE", "\(folders)/\(folder)").status == 204)
            try await harness.sendLifecycleEvent("missed", for: subscription.id)
            let deletedItems = try #require(try await node.store.mailboxes(of: account).first { $0.displayName == "Deleted Items" })
            let underDeletedItems = try await TestEnvironment.eventually(timeout: .seconds(20)) {
                try await node.store.mailboxes(of: account).first { $0.id == folder }?.parentID == deletedItems.id
            }
            #expect(underDeletedItems)
            #expect(try await harness.send("DELETE", "\(folders)/\(folder)").status == 204)
            try await harness.sendLifecycleEvent("missed", for: subscription.id)
            let gone = try await TestEnvironment.eventually(timeout: .seconds(20)) {
                try await Self.folders(harness, account, token: token)[folder] == nil
            }
            #expect(gone)
            #expect(try await node.store.message(message, of: account) == nil, "its mail went with it")
            try await MailboxSyncTests.expectConverged(harness, node, account, mailbox: mailbox)
        }
    }
}
