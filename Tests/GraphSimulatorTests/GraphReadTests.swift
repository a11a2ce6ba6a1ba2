import Foundation
import GraphSimulator
import Testing

@Suite struct GraphReadTests {
    @Test func requestsWithoutAValidTokenGet401InGraphsErrorShape() async throws {
        try await SimulatorHarness.run { graph in
            let missing = try await graph.send("GET", "/v1.0/me")
            #expect(missing.status == 401)
            #expect(missing.json["error"]?["code"]?.stringValue == "InvalidAuthenticationToken")
            #expect(missing.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
            if Fixtures.available {
                Fixtures.expectShape(missing.json, like: try Fixtures.load("error.throttling-429.response.json"), ignoring: ["innerError"])
            }
            let mailbox = try await graph.createMailbox("ada@outlook.com", messages: 1)
            let (access, _) = try await graph.signIn("ada@outlook.com")
            #expect(try await graph.send("GET", "/v1.0/me", token: access).status == 200)
            #expect(try await graph.send("POST", "/sim/mailboxes/\(mailbox)/expire-tokens").status == 204)
            let expired = try await graph.send("GET", "/v1.0/me", token: access)
            #expect(expired.status == 401)
            #expect(expired.json["error"]?["message"]?.stringValue == "Access token has expired or is not yet valid.")
            #expect(expired.json["error"]?["innerError"]?["request-id"]?.stringValue == expired.headers["request-id"])
        }
    }

    @Test func meAndUsersIdDescribeTheSignedInUser() async throws {
        try await SimulatorHarness.run { graph in
            let id = try await graph.createMailbox("ada@outlook.com", messages: 0)
            let (access, _) = try await graph.signIn("ada@outlook.com")
            let me = try await graph.send("GET", "/v1.0/me", token: access)
            if Fixtures.available { Fixtures.expectShape(me.json, like: try Fixtures.load("me-get.response.json")) }
            #expect(me.json["id"]?.stringValue == id)
            #expect(me.json["mail"] == .null)
            #expect(me.json["userPrincipalName"]?.stringValue == "ada@outlook.com")
            #expect(try await graph.send("GET", "/v1.0/users/\(id)", token: access).json["id"]?.stringValue == id)
            #expect(try await graph.send("GET", "/v1.0/users/someone-else", token: access).status == 403)
        }
    }

    @Test func foldersListByIdAndWellKnownNameWithChildren() async throws {
        try await SimulatorHarness.run { graph in
            _ = try await graph.createMailbox("ada@outlook.com", messages: 40)
            let (access, _) = try await graph.signIn("ada@outlook.com")
            let list = try await graph.send("GET", "/v1.0/me/mailFolders?$top=50", token: access)
            if Fixtures.available { Fixtures.expectShape(list.json, like: try Fixtures.load("mailfolders-list.response.json")) }
            let names = list.json["value"]?.arrayValue?.compactMap { $0["displayName"]?.stringValue } ?? []
            #expect(Set(names) == ["Inbox", "Drafts", "Sent Items", "Deleted Items", "Archive", "Junk Email"])
            let inbox = try await graph.send("GET", "/v1.0/me/mailFolders/inbox", token: access)
            if Fixtures.available { Fixtures.expectShape(inbox.json, like: try Fixtures.load("mailfolder-get.inbox.response.json")) }
            #expect(inbox.json["childFolderCount"]?.numberValue == 1)
            let inboxID = try #require(inbox.json["id"]?.stringValue)
            #expect(try await graph.send("GET", "/v1.0/me/mailFolders('\(inboxID)')", token: access).json["displayName"]?.stringValue == "Inbox")
            let children = try await graph.send("GET", "/v1.0/me/mailFolders/\(inboxID)/childFolders", token: access)
            #expect(children.json["value"]?.arrayValue?.first?["parentFolderId"]?.stringValue == inboxID)
            // Default page size is 10; a small $top pages with nextLink.
            let firstPage = try await graph.send("GET", "/v1.0/me/mailFolders?$top=4", token: access)
            let next = try #require(firstPage.json["@odata.nextLink"]?.stringValue)
            #expect(try await graph.send("GET", next, token: access).json["value"]?.arrayValue?.count == 2)
            let delta = try await graph.send("GET", "/v1.0/me/mailFolders/delta", token: access)
            #expect(delta.json["value"]?.arrayValue?.count == 7)
            #expect(delta.json["@odata.deltaLink"]?.stringValue != nil)
            #expect(
                try await graph.send("GET", "/v1.0/me/mailFolders/nope", token: access).json["error"]?["code"]?.stringValue == "ErrorItemNotFound"
            )
        }
    }

    @Test func messagesGetByIdAndListNewestFirstWithSelect() async throws {
        try await SimulatorHarness.run { graph in
            _ = try await graph.createMailbox("ada@outlook.com", messages: 30)
            let (access, _) = try await graph.signIn("ada@outlook.com")
            let list = try await graph.send(
                "GET",
                "/v1.0/me/mailFolders/inbox/messages?$select=sender,subject&$top=5&$orderby=receivedDateTime%20desc",
                token: access
            )
            #expect(list.status == 200)
            if Fixtures.available { Fixtures.expectShape(list.json, like: try Fixtures.load("messages-list.select-sender-subject.response.json")) }
            let items = list.json["value"]?.arrayValue ?? []
            #expect(items.count == 5)
            #expect(items.allSatisfy { $0["isRead"] == nil && $0["subject"] != nil })
            let id = try #require(items.first?["id"]?.stringValue)
            let message = try await graph.send("GET", "/v1.0/me/messages/\(id)", token: access)
            if Fixtures.available {
                Fixtures.expectShape(
                    message.json,
                    like: try Fixtures.load("message-get.full.response.json"),
                    ignoring: ["uniqueBody", "internetMessageHeaders"]
                )
            }
            let bad = try await graph.send("GET", "/v1.0/me/messages/\(id)?$select=nonsense", token: access)
            #expect(bad.status == 400)
            let missing = try await graph.send("GET", "/v1.0/me/messages/AAMkADnotthere", token: access)
            #expect(missing.status == 404)
            #expect(missing.json["error"]?["code"]?.stringValue == "ErrorItemNotFound")
        }
    }

    @Test func throttlingAnswers429WithRetryAfter() async throws {
        try await SimulatorHarness.run { graph in
            _ = try await graph.createMailbox("ada@outlook.com", messages: 0)
            let (access, _) = try await graph.signIn("ada@outlook.com")
            #expect(
                try await graph.send("PUT", "/sim/faults", json: .object([("throttle", .object([("requestsPer10Minutes", .number(3))]))])).status
                    == 200
            )
            var statuses: [Int] = []
            for _ in 0..<4 { statuses.append(try await graph.send("GET", "/v1.0/me", token: access).status) }
            #expect(statuses == [200, 200, 200, 429])
            let throttled = try await graph.send("GET", "/v1.0/me", token: access)
            #expect(throttled.json["error"]?["code"]?.stringValue == "ApplicationThrottled")
            #expect(Int(throttled.headers["retry-after"] ?? "") ?? 0 >= 1)
            let stats = try await graph.send("GET", "/sim/stats")
            #expect((stats.json["throttled"]?.numberValue ?? 0) >= 2)
        }
    }

    @Test func aBatchAnswersEachPartByIdAndRefusesMoreThanTwenty() async throws {
        try await SimulatorHarness.run { graph in
            _ = try await graph.createMailbox("ada@outlook.com", messages: 3)
            let (access, _) = try await graph.signIn("ada@outlook.com")
            func part(_ id: String, _ url: String) -> JSONValue {
                .object([("id", .string(id)), ("method", .string("GET")), ("url", .string(url))])
            }
            let batch = try await graph.send(
                "POST",
                "/v1.0/$batch",
                token: access,
                json: .object([("requests", .array([part("1", "/me"), part("2", "/me/mailFolders/inbox"), part("3", "/me/messages/missing")]))])
            )
            #expect(batch.status == 200)
            let responses = batch.json["responses"]?.arrayValue ?? []
            let byID = Dictionary(uniqueKeysWithValues: responses.map { ($0["id"]?.stringValue ?? "", $0) })
            #expect(byID["1"]?["status"]?.numberValue == 200)
            #expect(byID["2"]?["body"]?["displayName"]?.stringValue == "Inbox")
            #expect(byID["3"]?["status"]?.numberValue == 404)
            let tooMany = try await graph.send(
                "POST",
                "/v1.0/$batch",
                token: access,
                json: .object([("requests", .array((0..<21).map { part("\($0)", "/me") }))])
            )
            #expect(tooMany.status == 400)
        }
    }

    @Test func serverErrorsAreInjectedAsRetryable503s() async throws {
        try await SimulatorHarness.run { graph in
            _ = try await graph.createMailbox("ada@outlook.com", messages: 0)
            let (access, _) = try await graph.signIn("ada@outlook.com")
            #expect(try await graph.send("PUT", "/sim/faults", json: .object([("serverErrorRate", .number(1))])).status == 200)
            let failed = try await graph.send("GET", "/v1.0/me", token: access)
            #expect(failed.status == 503)
            #expect(failed.headers["retry-after"] != nil)
            #expect(try await graph.send("PUT", "/sim/faults", json: .object([])).status == 200)
            #expect(try await graph.send("GET", "/v1.0/me", token: access).status == 200)
        }
    }

    @Test func aBatchOfTwentyPartsStaysWithinTheConcurrencyLimit() async throws {
        try await SimulatorHarness.run { graph in
            _ = try await graph.createMailbox("ada@outlook.com", messages: 0)
            let (access, _) = try await graph.signIn("ada@outlook.com")
            let parts = (0..<20).map { JSONValue.object([("id", .string("\($0)")), ("method", .string("GET")), ("url", .string("/me"))]) }
            let batch = try await graph.send("POST", "/v1.0/$batch", token: access, json: .object([("requests", .array(parts))]))
            let statuses = batch.json["responses"]?.arrayValue?.compactMap { $0["status"]?.numberValue } ?? []
            #expect(statuses.count == 20)
            #expect(statuses.allSatisfy { $0 == 200 })
        }
    }
}
