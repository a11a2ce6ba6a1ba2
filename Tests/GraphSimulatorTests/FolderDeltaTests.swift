import Foundation
import GraphSimulator
import Testing

@Suite struct FolderDeltaTests {
    static let start = "/v1.0/me/mailFolders/delta"

    static func ids(_ items: [JSONValue]) -> [String] {
        items.compactMap { $0["id"]?.stringValue }
    }

    /// A client's copy of the folder tree: each item upserted by id, each `@removed` dropped.
    static func apply(_ items: [JSONValue], to mirror: inout [String: JSONValue]) {
        for item in items {
            guard let id = item["id"]?.stringValue else { continue }
            mirror[id] = item["@removed"] == nil ? item : nil
        }
    }

    /// What the mirror must agree with: each folder's name and parent, by id.
    static func tree(_ folders: [JSONValue]) -> [String: [String]] {
        Dictionary(
            uniqueKeysWithValues: folders.compactMap { folder in
                folder["id"]?.stringValue.map { ($0, [folder["displayName"]?.stringValue ?? "", folder["parentFolderId"]?.stringValue ?? ""]) }
            }
        )
    }

    @Test func laterRoundsCarryCreatedRenamedMovedAndDeletedFolders() async throws {
        try await SimulatorHarness.run { graph in
            let mailbox = try await graph.createMailbox("ada@outlook.com", messages: 5)
            let (access, _) = try await graph.signIn("ada@outlook.com")
            let inboxID = try #require(try await graph.send("GET", "/v1.0/me/mailFolders/inbox", token: access).json["id"]?.stringValue)
            let deletedItems = try #require(try await graph.send("GET", "/v1.0/me/mailFolders/deleteditems", token: access).json["id"]?.stringValue)

            let first = try await DeltaTests.round(graph, from: Self.start, token: access, immutable: false, pageSize: 3)
            let truth = try await FolderTests.folders(graph, mailbox)
            #expect(first.items.count == 7)
            #expect(first.pages == 3)
            #expect(Set(Self.ids(first.items)) == Set(Self.ids(truth)))
            if Fixtures.available, let item = first.items.first {
                Fixtures.expectShape(
                    .object([("value", .array([item]))]),
                    like: try Fixtures.load("mailfolder-delta.api-ref-template.nextlink.response.json"),
                    ignoring: ["@odata.nextLink"]
                )
            }

            // Created: served as GET mailFolders/{id} gives them.
            let projects = try await FolderTests.create(graph, mailbox, "Projects")
            let projectsID = try #require(projects.json["id"]?.stringValue)
            let child = try await FolderTests.create(graph, mailbox, "Q1", parent: projectsID)
            let childID = try #require(child.json["id"]?.stringValue)
            let created = try await DeltaTests.round(graph, from: first.deltaLink, token: access, immutable: false, pageSize: 3)
            #expect(Set(Self.ids(created.items)) == [projectsID, childID])
            #expect(created.items.first { $0["id"]?.stringValue == childID } == child.json)

            // Renamed.
            _ = try await FolderTests.update(graph, mailbox, projectsID, [("displayName", .string("Work"))])
            let renamed = try await DeltaTests.round(graph, from: created.deltaLink, token: access, immutable: false)
            #expect(Self.ids(renamed.items) == [projectsID])
            #expect(renamed.items.first?["displayName"]?.stringValue == "Work")

            // Moved.
            _ = try await FolderTests.update(graph, mailbox, projectsID, [("parentFolderId", .string("inbox"))])
            let moved = try await DeltaTests.round(graph, from: renamed.deltaLink, token: access, immutable: false)
            #expect(Self.ids(moved.items) == [projectsID])
            #expect(moved.items.first?["parentFolderId"]?.stringValue == inboxID)

            // Deleted into Deleted Items: a changed folder, not a removed one.
            #expect(try await graph.send("DELETE", "/sim/mailboxes/\(mailbox)/folders/\(projectsID)").status == 204)
            let softDeleted = try await DeltaTests.round(graph, from: moved.deltaLink, token: access, immutable: false)
            #expect(Self.ids(softDeleted.items) == [projectsID])
            #expect(softDeleted.items.first?["parentFolderId"]?.stringValue == deletedItems)
            #expect(softDeleted.items.first?["@removed"] == nil)

            // Deleted for good, with its subfolder: only ids and `@removed`.
            #expect(try await graph.send("DELETE", "/sim/mailboxes/\(mailbox)/folders/\(projectsID)").status == 204)
            let hardDeleted = try await DeltaTests.round(graph, from: softDeleted.deltaLink, token: access, immutable: false)
            #expect(Set(Self.ids(hardDeleted.items)) == [projectsID, childID])
            for item in hardDeleted.items {
                guard case .object(let members) = item else { continue }
                #expect(Set(members.map(\.0)) == ["id", "@removed"])
                #expect(item["@removed"]?["reason"]?.stringValue == "deleted")
            }

            // A message arriving is no folder change; an unchanged tree gives an empty round.
            _ = try await graph.send("POST", "/sim/mailboxes/\(mailbox)/messages", json: .object([("subject", .string("Hi"))]))
            let quiet = try await DeltaTests.round(graph, from: hardDeleted.deltaLink, token: access, immutable: false)
            #expect(quiet.items.isEmpty)
            #expect(quiet.pages == 1)

            // Every round applied in turn gives the tree as it is.
            var mirror: [String: JSONValue] = [:]
            for round in [first, created, renamed, moved, softDeleted, hardDeleted, quiet] {
                Self.apply(round.items, to: &mirror)
            }
            #expect(Self.tree(Array(mirror.values)) == Self.tree(try await FolderTests.folders(graph, mailbox)))
        }
    }

    @Test func pagesFollowMaxPageSizeAndAreDeterministic() async throws {
        try await SimulatorHarness.run { graph in
            var pages: [[Data]] = []
            for address in ["ada@outlook.com", "bea@outlook.com"] {
                // The same seed and the same changes give the same ids, so two mailboxes must page alike byte for byte.
                let mailbox = try await graph.createMailbox(address, messages: 20, seed: 4)
                for index in 1...5 {
                    #expect(try await FolderTests.create(graph, mailbox, "Folder \(index)", parent: index > 3 ? "inbox" : nil).status == 201)
                }
                let (access, _) = try await graph.signIn(address)
                let sized = try await DeltaTests.round(graph, from: Self.start, token: access, immutable: false, pageSize: 5)
                #expect(sized.pages == 3)
                #expect(sized.items.count == 12)
                #expect(Set(Self.ids(sized.items)).count == 12)
                #expect(Set(Self.ids(sized.items)) == Set(Self.ids(try await FolderTests.folders(graph, mailbox))))
                // Without a page size Graph's default of 10 applies.
                let unsized = try await DeltaTests.round(graph, from: Self.start, token: access, immutable: false, pageSize: nil)
                #expect(unsized.pages == 2)
                #expect(Self.ids(unsized.items) == Self.ids(sized.items))

                // A nextLink followed again serves the same page.
                let headers = [("Prefer", "odata.maxpagesize=5")]
                let page1 = try await graph.send("GET", Self.start, token: access, headers: headers)
                let next = try #require(page1.json["@odata.nextLink"]?.stringValue)
                #expect(next.contains("$skiptoken="))
                let page2 = try await graph.send("GET", next, token: access, headers: headers)
                #expect(try await graph.send("GET", next, token: access, headers: headers).body == page2.body)
                let page3 = try await graph.send("GET", try #require(page2.json["@odata.nextLink"]?.stringValue), token: access, headers: headers)
                #expect(page3.json["value"]?.arrayValue?.count == 2)
                #expect(page3.json["@odata.deltaLink"]?.stringValue?.contains("$deltatoken=") == true)
                #expect(page3.json["@odata.nextLink"] == nil)
                pages.append([page1.body, page2.body, page3.body])
            }
            #expect(pages[0] == pages[1])
        }
    }

    @Test func changesWhileARoundPagesAreNotLost() async throws {
        try await SimulatorHarness.run { graph in
            let mailbox = try await graph.createMailbox("ada@outlook.com", messages: 0)
            var created: [String] = []
            for index in 1...4 {
                created.append(try #require(try await FolderTests.create(graph, mailbox, "Folder \(index)").json["id"]?.stringValue))
            }
            let (access, _) = try await graph.signIn("ada@outlook.com")
            let headers = [("Prefer", "odata.maxpagesize=8")]
            let page1 = try await graph.send("GET", Self.start, token: access, headers: headers)
            let served = Set(Self.ids(page1.json["value"]?.arrayValue ?? []))
            #expect(served.count == 8)
            let servedCreated = try #require(created.first { served.contains($0) })
            let unserved = created.filter { !served.contains($0) }
            #expect(unserved.count == 3)

            // While the round pages: a served folder and an unserved one are renamed, one is deleted for good, one is added.
            _ = try await FolderTests.update(graph, mailbox, servedCreated, [("displayName", .string("Renamed served"))])
            _ = try await FolderTests.update(graph, mailbox, unserved[0], [("displayName", .string("Renamed unserved"))])
            _ = try await FolderTests.update(graph, mailbox, unserved[1], [("parentFolderId", .string("deleteditems"))])
            #expect(try await graph.send("DELETE", "/sim/mailboxes/\(mailbox)/folders/\(unserved[1])").status == 204)
            _ = try await FolderTests.create(graph, mailbox, "Added")

            let rest = try await DeltaTests.round(
                graph,
                from: try #require(page1.json["@odata.nextLink"]?.stringValue),
                token: access,
                immutable: false,
                pageSize: 8
            )
            let next = try await DeltaTests.round(graph, from: rest.deltaLink, token: access, immutable: false, pageSize: 8)
            var mirror: [String: JSONValue] = [:]
            Self.apply(page1.json["value"]?.arrayValue ?? [], to: &mirror)
            Self.apply(rest.items, to: &mirror)
            Self.apply(next.items, to: &mirror)
            #expect(Self.tree(Array(mirror.values)) == Self.tree(try await FolderTests.folders(graph, mailbox)))
            #expect(next.items.first { $0["id"]?.stringValue == servedCreated }?["displayName"]?.stringValue == "Renamed served")
        }
    }

    @Test func unknownMalformedOrExpiredFolderTokensAnswer410SyncStateNotFound() async throws {
        try await SimulatorHarness.run { graph in
            _ = try await graph.createMailbox("ada@outlook.com", messages: 5)
            let (access, _) = try await graph.signIn("ada@outlook.com")
            func expectGone(_ url: String) async throws {
                let reply = try await graph.send("GET", url, token: access)
                #expect(reply.status == 410, "\(url)")
                #expect(reply.json["error"]?["code"]?.stringValue == "SyncStateNotFound")
            }
            try await expectGone("\(Self.start)?$deltatoken=nonsense")
            try await expectGone("\(Self.start)?$skiptoken=nonsense")

            // A message delta's token is not a folder delta's, nor the other way round.
            let messages = try await DeltaTests.round(graph, from: "/v1.0/me/mailFolders/inbox/messages/delta", token: access, immutable: false)
            let messageToken = try #require(URLComponents(string: messages.deltaLink)?.queryItems?.first { $0.name == "$deltatoken" }?.value)
            try await expectGone("\(Self.start)?$deltatoken=\(messageToken)")
            let folders = try await DeltaTests.round(graph, from: Self.start, token: access, immutable: false, pageSize: 5)
            let folderToken = try #require(URLComponents(string: folders.deltaLink)?.queryItems?.first { $0.name == "$deltatoken" }?.value)
            try await expectGone("/v1.0/me/mailFolders/inbox/messages/delta?$deltatoken=\(folderToken)")

            // Expired tokens: the deltaLink and a nextLink of a round begun before.
            let page1 = try await graph.send("GET", Self.start, token: access, headers: [("Prefer", "odata.maxpagesize=5")])
            let nextLink = try #require(page1.json["@odata.nextLink"]?.stringValue)
            #expect(try await graph.send("PUT", "/sim/faults", json: .object([("expireDeltaTokens", .bool(true))])).status == 200)
            try await expectGone(folders.deltaLink)
            try await expectGone(nextLink)
            let fresh = try await DeltaTests.round(graph, from: Self.start, token: access, immutable: false, pageSize: 5)
            #expect(fresh.items.count == 7)
            #expect(try await graph.send("GET", fresh.deltaLink, token: access).status == 200)
        }
    }
}
