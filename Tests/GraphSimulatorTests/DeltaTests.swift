import Foundation
import GraphSimulator
import Testing

@Suite struct DeltaTests {
    /// Reads a whole round: every page's items, and the final deltaLink. A `nil` page size sends no `Prefer: odata.maxpagesize`.
    static func round(
        _ graph: GraphClient,
        from url: String,
        token: String,
        immutable: Bool,
        pageSize: Int? = 2
    ) async throws -> (
        items: [JSONValue], deltaLink: String, pages: Int
    ) {
        var items: [JSONValue] = []
        var next = url
        var pages = 0
        var headers = pageSize.map { [("Prefer", "odata.maxpagesize=\($0)")] } ?? []
        if immutable { headers.append(("Prefer", "IdType=\"ImmutableId\"")) }
        while true {
            let reply = try await graph.send("GET", next, token: token, headers: headers)
            #expect(reply.status == 200, "\(String(decoding: reply.body, as: UTF8.self))")
            #expect(reply.headers["preference-applied"] == pageSize.map { "odata.maxpagesize=\($0)" })
            pages += 1
            items += reply.json["value"]?.arrayValue ?? []
            if let nextLink = reply.json["@odata.nextLink"]?.stringValue {
                next = nextLink
            } else {
                return (items, try #require(reply.json["@odata.deltaLink"]?.stringValue), pages)
            }
        }
    }

    static func messageIDs(in mailbox: String, folder: String, _ graph: GraphClient) async throws -> [String] {
        let state = try await graph.send("GET", "/sim/mailboxes/\(mailbox)/state")
        return (state.json["messages"]?.arrayValue ?? []).filter { $0["folderId"]?.stringValue == folder }.compactMap { $0["id"]?.stringValue }
    }

    @Test func aNextLinkCanBeFollowedAgainAfterACrash() async throws {
        try await SimulatorHarness.run { graph in
            _ = try await graph.createMailbox("ada@outlook.com", messages: 10, seed: 7)
            let (access, _) = try await graph.signIn("ada@outlook.com")
            let headers = [("Prefer", "odata.maxpagesize=2")]
            let first = try await graph.send("GET", "/v1.0/me/mailFolders/inbox/messages/delta", token: access, headers: headers)
            let next = try #require(first.json["@odata.nextLink"]?.stringValue)
            let once = try await graph.send("GET", next, token: access, headers: headers)
            let again = try await graph.send("GET", next, token: access, headers: headers)
            #expect(once.status == 200 && again.status == 200)
            #expect(once.json["value"] == again.json["value"])
        }
    }

    @Test func roundsPageAndLaterRoundsCarryOnlyChangesWithMovesAndDeletes() async throws {
        try await SimulatorHarness.run { graph in
            let mailbox = try await graph.createMailbox("ada@outlook.com", messages: 40, seed: 42)
            let (access, _) = try await graph.signIn("ada@outlook.com")
            let inbox = try #require(try await graph.send("GET", "/v1.0/me/mailFolders/inbox", token: access).json["id"]?.stringValue)
            let archive = try #require(try await graph.send("GET", "/v1.0/me/mailFolders/archive", token: access).json["id"]?.stringValue)
            let start = "/v1.0/me/mailFolders/\(inbox)/messages/delta?$select=subject,sender,isRead"

            let first = try await Self.round(graph, from: start, token: access, immutable: true)
            let truth = try await Self.messageIDs(in: mailbox, folder: inbox, graph)
            #expect(Set(first.items.compactMap { $0["id"]?.stringValue }) == Set(truth))
            #expect(first.pages == (truth.count + 1) / 2)
            if Fixtures.available, let item = first.items.first {
                Fixtures.expectShape(
                    .object([("value", .array([item]))]),
                    like: try Fixtures.load("message-delta.select.page1-nextlink.response.json"),
                    ignoring: ["@odata.nextLink", "@odata.context"]
                )
            }
            #expect(first.items.allSatisfy { $0["receivedDateTime"] == nil })

            // The user reads one message, moves one to Archive, deletes one for good, and a new one arrives.
            let (read, moved, deleted) = (truth[0], truth[1], truth[2])
            #expect(
                try await graph.send("PATCH", "/sim/mailboxes/\(mailbox)/messages/\(read)", json: .object([("isRead", .bool(true))])).status == 200
            )
            #expect(
                try await graph.send("POST", "/sim/mailboxes/\(mailbox)/messages/\(moved)/move", json: .object([("destination", .string("archive"))]))
                    .status == 200
            )
            #expect(try await graph.send("DELETE", "/sim/mailboxes/\(mailbox)/messages/\(deleted)?permanent=true").status == 204)
            let arrival = try await graph.send(
                "POST",
                "/sim/mailboxes/\(mailbox)/messages",
                json: .object([
                    ("folder", .string("inbox")), ("subject", .string("Brand new")),
                    ("from", .object([("name", .string("Grace")), ("address", .string("grace@example.net"))])),
                ])
            )
            let added = try #require(arrival.json["id"]?.stringValue)

            let second = try await Self.round(graph, from: first.deltaLink, token: access, immutable: true)
            let removed = second.items.filter { $0["@removed"] != nil }.compactMap { $0["id"]?.stringValue }
            let changed = second.items.filter { $0["@removed"] == nil }.compactMap { $0["id"]?.stringValue }
            #expect(Set(removed) == [moved, deleted])
            #expect(Set(changed) == [read, added])
            #expect(second.items.first { $0["id"]?.stringValue == read }?["isRead"]?.boolValue == true)
            #expect(second.items.first { $0["@removed"] != nil }?["@removed"]?["reason"]?.stringValue == "deleted")

            // With immutable ids the moved message keeps its id in the destination folder.
            let archiveRound = try await Self.round(graph, from: "/v1.0/me/mailFolders/\(archive)/messages/delta", token: access, immutable: true)
            #expect(archiveRound.items.contains { $0["id"]?.stringValue == moved })

            // A third round with nothing changed is empty.
            let third = try await Self.round(graph, from: second.deltaLink, token: access, immutable: true)
            #expect(third.items.isEmpty)
        }
    }

    @Test func withoutImmutableIDsAMovedMessageGetsANewID() async throws {
        try await SimulatorHarness.run { graph in
            let mailbox = try await graph.createMailbox("ada@outlook.com", messages: 10, seed: 3)
            let (access, _) = try await graph.signIn("ada@outlook.com")
            let archive = try #require(try await graph.send("GET", "/v1.0/me/mailFolders/archive", token: access).json["id"]?.stringValue)
            let before = try await Self.round(
                graph,
                from: "/v1.0/me/mailFolders/inbox/messages/delta?$select=subject",
                token: access,
                immutable: false
            )
            let restID = try #require(before.items.first?["id"]?.stringValue)
            let moved = try await graph.send(
                "POST",
                "/sim/mailboxes/\(mailbox)/messages/\(restID)/move",
                json: .object([("destination", .string(archive))])
            )
            let newRestID = try #require(moved.json["restId"]?.stringValue)
            #expect(newRestID != restID)
            #expect(try await graph.send("GET", "/v1.0/me/messages/\(restID)", token: access).status == 404)
            #expect(try await graph.send("GET", "/v1.0/me/messages/\(newRestID)", token: access).json["parentFolderId"]?.stringValue == archive)
            let after = try await Self.round(graph, from: before.deltaLink, token: access, immutable: false)
            #expect(after.items.map { $0["id"]?.stringValue } == [restID])
            #expect(after.items.first?["@removed"] != nil)
        }
    }

    @Test func expiredDeltaTokensAnswer410SyncStateNotFound() async throws {
        try await SimulatorHarness.run { graph in
            _ = try await graph.createMailbox("ada@outlook.com", messages: 5)
            let (access, _) = try await graph.signIn("ada@outlook.com")
            let first = try await Self.round(graph, from: "/v1.0/me/mailFolders/inbox/messages/delta", token: access, immutable: true)
            #expect(try await graph.send("PUT", "/sim/faults", json: .object([("expireDeltaTokens", .bool(true))])).status == 200)
            let gone = try await graph.send("GET", first.deltaLink, token: access)
            #expect(gone.status == 410)
            #expect(gone.json["error"]?["code"]?.stringValue == "SyncStateNotFound")
            // A fresh initial round works again once the fault is lifted.
            #expect(try await graph.send("PUT", "/sim/faults", json: .object([])).status == 200)
            #expect(try await graph.send("GET", first.deltaLink, token: access).status == 410)
            let fresh = try await Self.round(graph, from: "/v1.0/me/mailFolders/inbox/messages/delta", token: access, immutable: true)
            #expect(fresh.items.count == first.items.count)
        }
    }
}
