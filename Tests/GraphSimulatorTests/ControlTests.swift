import Foundation
import GraphSimulator
import Testing

@Suite struct ControlTests {
    @Test func mailboxesAreDeterministicForASeed() async throws {
        try await SimulatorHarness.run { graph in
            let first = try await graph.createMailbox("a@outlook.com", messages: 25, seed: 9)
            let second = try await graph.createMailbox("b@outlook.com", messages: 25, seed: 9)
            // Same content, but each mailbox its own id (they once shared one, and the second replaced the first).
            #expect(first != second)
            let subjects = { (id: String) async throws -> [String] in
                try await graph.send("GET", "/sim/mailboxes/\(id)/state").json["messages"]?.arrayValue?.compactMap { $0["subject"]?.stringValue }
                    ?? []
            }
            let a = try await subjects(first)
            #expect(a.count == 25)
            #expect(try await subjects(second) == a)
            let folders = try await graph.send("GET", "/sim/mailboxes/\(first)/state").json["folders"]?.arrayValue ?? []
            #expect(
                folders.compactMap { $0["wellKnownName"]?.stringValue }.sorted() == [
                    "archive", "deleteditems", "drafts", "inbox", "junkemail", "sentitems",
                ]
            )
            #expect(try await graph.send("GET", "/sim/mailboxes").json.arrayValue?.count == 2)
        }
    }

    @Test func deletingMovesToDeletedItemsFirst() async throws {
        try await SimulatorHarness.run { graph in
            let mailbox = try await graph.createMailbox("a@outlook.com", messages: 1)
            let state = try await graph.send("GET", "/sim/mailboxes/\(mailbox)/state").json
            let id = try #require(state["messages"]?.arrayValue?.first?["id"]?.stringValue)
            let deletedItems = try #require(
                state["folders"]?.arrayValue?.first { $0["wellKnownName"]?.stringValue == "deleteditems" }?["id"]?.stringValue
            )
            let softDeleted = try await graph.send("DELETE", "/sim/mailboxes/\(mailbox)/messages/\(id)")
            #expect(softDeleted.json["folderId"]?.stringValue == deletedItems)
            #expect(try await graph.send("DELETE", "/sim/mailboxes/\(mailbox)/messages/\(id)").status == 204)
            #expect(try await graph.send("GET", "/sim/mailboxes/\(mailbox)/state").json["messages"]?.arrayValue?.isEmpty == true)
            #expect(try await graph.send("DELETE", "/sim/mailboxes/\(mailbox)/messages/\(id)").status == 404)
        }
    }

    @Test func badControlInputGets400AndChangesNothing() async throws {
        try await SimulatorHarness.run { graph in
            let mailbox = try await graph.createMailbox("a@outlook.com", messages: 1)
            #expect(try await graph.send("POST", "/sim/mailboxes", json: .object([("address", .string("not-an-address"))])).status == 400)
            #expect(try await graph.send("POST", "/sim/mailboxes", json: .object([("address", .string("a@outlook.com"))])).status == 409)
            #expect(try await graph.send("POST", "/sim/mailboxes/\(mailbox)/messages", json: .object([("folder", .string("nowhere"))])).status == 400)
            #expect(try await graph.send("PUT", "/sim/faults", json: .object([("dropNotifications", .number(2))])).status == 400)
            #expect(try await graph.send("PUT", "/sim/faults", json: .object([("notificationDelayMs", .array([.number(5)]))])).status == 400)
            #expect(try await graph.send("GET", "/sim/faults").json["dropNotifications"]?.numberValue == 0)
            #expect(try await graph.send("POST", "/sim/mailboxes/nobody/messages", json: .object([])).status == 404)
            #expect(try await graph.send("GET", "/sim/mailboxes/\(mailbox)/state").json["messages"]?.arrayValue?.count == 1)
            let page = try await graph.send("GET", "/sim")
            #expect(page.status == 200)
            #expect(String(decoding: page.body, as: UTF8.self).contains("/sim/mailboxes"))
        }
    }

    @Test func droppedDuplicatedAndExpiredNotificationsBehaveAsConfigured() async throws {
        let inbox = WebhookInbox()
        try await WebhookReceiver.run(inbox) { hook in
            try await SimulatorHarness.run { graph in
                let mailbox = try await graph.createMailbox("a@outlook.com", messages: 0)
                let (access, _) = try await graph.signIn("a@outlook.com")
                let created = try await graph.send("POST", "/v1.0/subscriptions", token: access, json: SubscriptionTests.subscriptionBody(hook))
                let subscription = try #require(created.json["id"]?.stringValue)
                func deliver(_ subject: String) async throws {
                    _ = try await graph.send("POST", "/sim/mailboxes/\(mailbox)/messages", json: .object([("subject", .string(subject))]))
                }

                _ = try await graph.send("PUT", "/sim/faults", json: .object([("dropNotifications", .number(1))]))
                try await deliver("dropped")
                _ = try await graph.send("PUT", "/sim/faults", json: .object([("duplicateNotifications", .number(1))]))
                try await deliver("twice")
                let received = await inbox.waitFor(2)
                #expect(received.count == 2)
                #expect(Set(received.compactMap { $0["value"]?.arrayValue?.first?["resourceData"]?["id"]?.stringValue }).count == 1)
                let stats = try await graph.stats { $0["notificationsDropped"]?.numberValue == 1 && $0["notificationsSent"]?.numberValue == 2 }
                #expect(stats["notificationsDropped"]?.numberValue == 1)
                #expect(stats["notificationsDuplicated"]?.numberValue == 1)

                // An expired subscription stops notifying; a live one still does, which tells when to look.
                _ = try await graph.send("PUT", "/sim/faults", json: .object([]))
                #expect(try await graph.send("POST", "/sim/subscriptions/\(subscription)/expire").status == 204)
                let live = try await graph.send(
                    "POST",
                    "/v1.0/subscriptions",
                    token: access,
                    json: SubscriptionTests.subscriptionBody(hook, clientState: "second")
                )
                #expect(live.status == 201)
                try await deliver("after expiry")
                // Both subscriptions' notifications of one change leave in one batch, so the live one's arrival
                // is the moment to look for the expired one's.
                let after = await inbox.waitFor(3)
                let states = after.compactMap { $0["value"]?.arrayValue?.first?["clientState"]?.stringValue }
                #expect(states.suffix(1) == ["second"])
                #expect(await inbox.notifications.count == 3)
            }
        }
    }
}
