import Foundation
import GraphSimulator
import Testing

@Suite struct FolderTests {
    /// `POST /sim/mailboxes/{id}/folders`.
    static func create(_ graph: GraphClient, _ mailbox: String, _ name: String, parent: String? = nil) async throws -> GraphClient.Reply {
        var members: [(String, JSONValue)] = [("displayName", .string(name))]
        if let parent { members.append(("parentFolderId", .string(parent))) }
        return try await graph.send("POST", "/sim/mailboxes/\(mailbox)/folders", json: .object(members))
    }

    /// `PATCH /sim/mailboxes/{id}/folders/{folderId}`.
    static func update(_ graph: GraphClient, _ mailbox: String, _ folder: String, _ members: [(String, JSONValue)]) async throws -> GraphClient.Reply
    {
        try await graph.send("PATCH", "/sim/mailboxes/\(mailbox)/folders/\(folder)", json: .object(members))
    }

    /// The folders `GET /sim/mailboxes/{id}/state` lists.
    static func folders(_ graph: GraphClient, _ mailbox: String) async throws -> [JSONValue] {
        try await graph.send("GET", "/sim/mailboxes/\(mailbox)/state").json["folders"]?.arrayValue ?? []
    }

    static func withoutContext(_ value: JSONValue) -> JSONValue {
        guard case .object(let members) = value else { return value }
        return .object(members.filter { $0.0 != "@odata.context" })
    }

    @Test func createRenameAndMoveAnswerTheFolderAsGraphServesIt() async throws {
        try await SimulatorHarness.run { graph in
            let mailbox = try await graph.createMailbox("ada@outlook.com", messages: 0)
            let (access, _) = try await graph.signIn("ada@outlook.com")
            let inbox = try await graph.send("GET", "/v1.0/me/mailFolders/inbox", token: access).json
            let inboxID = try #require(inbox["id"]?.stringValue)
            let rootID = try #require(inbox["parentFolderId"]?.stringValue)

            let projects = try await Self.create(graph, mailbox, "Projects")
            #expect(projects.status == 201)
            if Fixtures.available { Fixtures.expectShape(projects.json, like: try Fixtures.load("mailfolder-get.inbox.response.json")) }
            let projectsID = try #require(projects.json["id"]?.stringValue)
            #expect(projects.json["parentFolderId"]?.stringValue == rootID)
            #expect(projects.json["childFolderCount"]?.numberValue == 0)
            #expect(projects.json["isHidden"]?.boolValue == false)
            let served = try await graph.send("GET", "/v1.0/me/mailFolders/\(projectsID)", token: access)
            #expect(Self.withoutContext(served.json) == projects.json)

            // A parent by id, by well-known name (any case), or the root by its id.
            let plans = try await Self.create(graph, mailbox, "2026", parent: projectsID)
            #expect(plans.json["parentFolderId"]?.stringValue == projectsID)
            let plansID = try #require(plans.json["id"]?.stringValue)
            let invoices = try await Self.create(graph, mailbox, "Invoices", parent: "Inbox")
            #expect(invoices.json["parentFolderId"]?.stringValue == inboxID)
            let invoicesID = try #require(invoices.json["id"]?.stringValue)
            #expect(try await Self.create(graph, mailbox, "Travel", parent: rootID).json["parentFolderId"]?.stringValue == rootID)
            #expect(try await graph.send("GET", "/v1.0/me/mailFolders/\(projectsID)", token: access).json["childFolderCount"]?.numberValue == 1)
            let topLevel = try await graph.send("GET", "/v1.0/me/mailFolders?$top=50", token: access).json["value"]?.arrayValue ?? []
            let topLevelNames = Set(topLevel.compactMap { $0["displayName"]?.stringValue })
            #expect(topLevelNames.isSuperset(of: ["Projects", "Travel"]))

            let renamed = try await Self.update(graph, mailbox, projectsID, [("displayName", .string("Work"))])
            #expect(renamed.status == 200)
            #expect(renamed.json["id"]?.stringValue == projectsID)
            #expect(renamed.json["displayName"]?.stringValue == "Work")
            #expect(renamed.json["childFolderCount"]?.numberValue == 1)

            let moved = try await Self.update(graph, mailbox, plansID, [("parentFolderId", .string("inbox"))])
            #expect(moved.status == 200)
            #expect(moved.json["id"]?.stringValue == plansID)
            #expect(moved.json["parentFolderId"]?.stringValue == inboxID)
            let children = try await graph.send("GET", "/v1.0/me/mailFolders/inbox/childFolders", token: access).json["value"]?.arrayValue ?? []
            #expect(children.contains { $0["id"]?.stringValue == plansID })
            #expect(try await graph.send("GET", "/v1.0/me/mailFolders/\(projectsID)", token: access).json["childFolderCount"]?.numberValue == 0)

            // Both at once, and a message delivered into a created folder counts there.
            let both = try await Self.update(
                graph,
                mailbox,
                invoicesID,
                [("displayName", .string("Bills")), ("parentFolderId", .string(projectsID))]
            )
            #expect(both.json["displayName"]?.stringValue == "Bills")
            #expect(both.json["parentFolderId"]?.stringValue == projectsID)
            let delivered = try await graph.send(
                "POST",
                "/sim/mailboxes/\(mailbox)/messages",
                json: .object([("folder", .string(invoicesID)), ("subject", .string("Invoice 7"))])
            )
            #expect(delivered.json["folderId"]?.stringValue == invoicesID)
            let bills = try await graph.send("GET", "/v1.0/me/mailFolders/\(invoicesID)", token: access).json
            #expect(bills["totalItemCount"]?.numberValue == 1)
            #expect(bills["unreadItemCount"]?.numberValue == 1)

            let state = try await Self.folders(graph, mailbox)
            #expect(state.count == 7 + 4)
            let work = try #require(state.first { $0["id"]?.stringValue == projectsID })
            #expect(work["displayName"]?.stringValue == "Work")
            #expect(work["parentFolderId"]?.stringValue == rootID)
            #expect(work["wellKnownName"] == .null)
            #expect(state.first { $0["id"]?.stringValue == invoicesID }?["parentFolderId"]?.stringValue == projectsID)
        }
    }

    @Test func badFolderRequestsGet400And404AndChangeNothing() async throws {
        try await SimulatorHarness.run { graph in
            let mailbox = try await graph.createMailbox("ada@outlook.com", messages: 0)
            let path = "/sim/mailboxes/\(mailbox)/folders"
            let projects = try #require(try await Self.create(graph, mailbox, "Projects").json["id"]?.stringValue)
            let child = try #require(try await Self.create(graph, mailbox, "Q1", parent: projects).json["id"]?.stringValue)
            let longest = String(repeating: "n", count: 255)
            #expect(try await Self.create(graph, mailbox, longest).status == 201)
            // The same name under another parent is fine.
            #expect(try await Self.create(graph, mailbox, "Projects", parent: "inbox").status == 201)
            let before = try await Self.folders(graph, mailbox)

            for body: JSONValue in [
                .object([]), .object([("displayName", .string(""))]), .object([("displayName", .string("  "))]),
                .object([("displayName", .string(longest + "n"))]), .object([("displayName", .number(3))]),
                .object([("displayName", .string("Orphan")), ("parentFolderId", .string("nowhere"))]),
                .object([("displayName", .string("Orphan")), ("parentFolderId", .number(1))]),
            ] {
                let reply = try await graph.send("POST", path, json: body)
                #expect(reply.status == 400, "\(body)")
                #expect(reply.json["error"]?["message"]?.stringValue != nil)
            }
            // Sibling names clash whatever their case, standard folders' names included.
            for (name, parent) in [("projects", "msgfolderroot"), ("INBOX", "msgfolderroot"), ("q1", projects)] {
                let clash = try await Self.create(graph, mailbox, name, parent: parent)
                #expect(clash.status == 400)
                #expect(clash.json["error"]?["code"]?.stringValue == "ErrorFolderExists")
            }
            let renameClash = try await Self.update(graph, mailbox, projects, [("displayName", .string("Drafts"))])
            #expect(renameClash.json["error"]?["code"]?.stringValue == "ErrorFolderExists")

            // Standard folders and the root keep their names and places, and stay.
            let inboxID = try #require(before.first { $0["wellKnownName"]?.stringValue == "inbox" }?["id"]?.stringValue)
            for folder in ["inbox", inboxID, "deleteditems", "msgfolderroot"] {
                #expect(try await Self.update(graph, mailbox, folder, [("displayName", .string("Renamed"))]).status == 400, "\(folder)")
                #expect(try await Self.update(graph, mailbox, folder, [("parentFolderId", .string(projects))]).status == 400, "\(folder)")
                #expect(try await graph.send("DELETE", "\(path)/\(folder)").status == 400, "\(folder)")
            }
            // A folder cannot go into itself or its subfolders; a PATCH must change something.
            #expect(try await Self.update(graph, mailbox, projects, [("parentFolderId", .string(projects))]).status == 400)
            #expect(try await Self.update(graph, mailbox, projects, [("parentFolderId", .string(child))]).status == 400)
            #expect(try await Self.update(graph, mailbox, projects, [("parentFolderId", .string("nowhere"))]).status == 400)
            #expect(try await Self.update(graph, mailbox, projects, [("displayName", .string(""))]).status == 400)
            #expect(try await Self.update(graph, mailbox, projects, []).status == 400)

            #expect(try await Self.update(graph, mailbox, "nope", [("displayName", .string("X"))]).status == 404)
            #expect(try await graph.send("DELETE", "\(path)/nope").status == 404)
            #expect(try await Self.create(graph, "nobody", "X").status == 404)
            #expect(try await graph.send("DELETE", "/sim/mailboxes/nobody/folders/\(projects)").status == 404)

            let after = try await Self.folders(graph, mailbox)
            #expect(after == before)
        }
    }

    @Test func theSimulatorPageCreatesRenamesMovesAndDeletesFolders() async throws {
        try await SimulatorHarness.run { graph in
            let page = String(decoding: try await graph.send("GET", "/sim").body, as: UTF8.self)
            #expect(page.contains("<form id=\"newfolder\">"))
            for call in ["act(\"POST\", \"/folders\"", "act(\"PATCH\", `/folders/${f.id}`", "act(\"DELETE\", `/folders/${f.id}`"] {
                #expect(page.contains(call), "\(call)")
            }
        }
    }

    @Test func deletingMovesIntoDeletedItemsThenDeletesForGoodWithSubfoldersAndMessages() async throws {
        let inbox = WebhookInbox()
        try await WebhookReceiver.run(inbox) { hook in
            try await SimulatorHarness.run { graph in
                let mailbox = try await graph.createMailbox("ada@outlook.com", messages: 3)
                let (access, _) = try await graph.signIn("ada@outlook.com")
                let deletedItems = try #require(
                    try await graph.send("GET", "/v1.0/me/mailFolders/deleteditems", token: access).json["id"]?.stringValue
                )
                let projects = try #require(try await Self.create(graph, mailbox, "Projects").json["id"]?.stringValue)
                let child = try #require(try await Self.create(graph, mailbox, "Q1", parent: projects).json["id"]?.stringValue)
                var placed: [String] = []
                var restIDs: [String] = []
                for (folder, subject) in [(projects, "one"), (projects, "two"), (child, "three")] {
                    let reply = try await graph.send(
                        "POST",
                        "/sim/mailboxes/\(mailbox)/messages",
                        json: .object([("folder", .string(folder)), ("subject", .string(subject))])
                    )
                    placed.append(try #require(reply.json["id"]?.stringValue))
                    restIDs.append(try #require(reply.json["restId"]?.stringValue))
                }
                let projectsDelta = try await DeltaTests.round(
                    graph,
                    from: "/v1.0/me/mailFolders/\(projects)/messages/delta",
                    token: access,
                    immutable: true
                )
                #expect(projectsDelta.items.count == 2)
                #expect(
                    try await graph.send("POST", "/v1.0/subscriptions", token: access, json: SubscriptionTests.subscriptionBody(hook)).status == 201
                )

                // First delete: the folder moves into Deleted Items with its subfolder and messages, ids unchanged.
                #expect(try await graph.send("DELETE", "/sim/mailboxes/\(mailbox)/folders/\(projects)").status == 204)
                let moved = try await graph.send("GET", "/v1.0/me/mailFolders/\(projects)", token: access).json
                #expect(moved["parentFolderId"]?.stringValue == deletedItems)
                #expect(moved["totalItemCount"]?.numberValue == 2)
                #expect(moved["childFolderCount"]?.numberValue == 1)
                let folders = try await Self.folders(graph, mailbox)
                #expect(folders.first { $0["id"]?.stringValue == child }?["parentFolderId"]?.stringValue == projects)
                let messages = try await graph.send("GET", "/sim/mailboxes/\(mailbox)/state").json["messages"]?.arrayValue ?? []
                #expect(
                    Set(messages.filter { $0["folderId"]?.stringValue == projects }.compactMap { $0["id"]?.stringValue }) == Set(placed.prefix(2))
                )
                // The messages did not move, so their folder's delta has nothing new.
                #expect(try await DeltaTests.round(graph, from: projectsDelta.deltaLink, token: access, immutable: true).items.isEmpty)

                // Second delete, from inside Deleted Items: gone for good, with the subfolder and every message in them.
                #expect(try await graph.send("DELETE", "/sim/mailboxes/\(mailbox)/folders/\(projects)").status == 204)
                let state = try await graph.send("GET", "/sim/mailboxes/\(mailbox)/state").json
                let remaining = Set((state["folders"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue })
                #expect(remaining.isDisjoint(with: [projects, child]))
                #expect(remaining.count == 7)
                let remainingMessages = Set((state["messages"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue })
                #expect(remainingMessages.count == 3)
                #expect(remainingMessages.isDisjoint(with: placed))
                let gone = try await graph.send("GET", "/v1.0/me/mailFolders/\(projects)", token: access)
                #expect(gone.status == 404)
                #expect(gone.json["error"]?["code"]?.stringValue == "ErrorItemNotFound")
                #expect(try await graph.send("GET", "/v1.0/me/messages/\(placed[2])", token: access).status == 404)
                #expect(try await graph.send("DELETE", "/sim/mailboxes/\(mailbox)/folders/\(projects)").status == 404)

                // Each message deleted for good is a `deleted` notification; the move into Deleted Items notified nothing.
                let received = await inbox.waitFor(3)
                let changes = received.compactMap { $0["value"]?.arrayValue?.first }
                #expect(changes.compactMap { $0["changeType"]?.stringValue } == ["deleted", "deleted", "deleted"])
                // The subscription did not ask for immutable ids.
                #expect(Set(changes.compactMap { $0["resourceData"]?["id"]?.stringValue }) == Set(restIDs))
            }
        }
    }
}
