import Foundation
import GraphSimulator
import Testing

@Suite struct SendMailTests {
    static func recipients(_ addresses: [String]) -> JSONValue {
        .array(addresses.map { .object([("emailAddress", .object([("name", .string($0)), ("address", .string($0))]))]) })
    }

    static func sendMail(
        subject: String = "Lunch",
        to: [String] = [],
        cc: [String] = [],
        bcc: [String] = [],
        attachments: [JSONValue] = [],
        saveToSentItems: Bool? = nil
    ) -> JSONValue {
        var members: [(String, JSONValue)] = [
            (
                "message",
                .object([
                    ("subject", .string(subject)),
                    ("body", .object([("contentType", .string("html")), ("content", .string("<p>Shall we meet at <b>noon</b>?</p>"))])),
                    ("toRecipients", Self.recipients(to)), ("ccRecipients", Self.recipients(cc)), ("bccRecipients", Self.recipients(bcc)),
                    ("attachments", .array(attachments)),
                ])
            )
        ]
        if let saveToSentItems { members.append(("saveToSentItems", .bool(saveToSentItems))) }
        return .object(members)
    }

    static let menu = JSONValue.object([
        ("@odata.type", .string("#microsoft.graph.fileAttachment")), ("name", .string("menu.txt")), ("contentType", .string("text/plain")),
        ("contentBytes", .string(Data("soup, bread".utf8).base64EncodedString())),
    ])

    /// The messages of a folder, newest first.
    static func folder(_ graph: GraphClient, _ name: String, token: String) async throws -> [JSONValue] {
        let reply = try await graph.send("GET", "/v1.0/me/mailFolders/\(name)/messages?$top=50", token: token)
        #expect(reply.status == 200)
        return reply.json["value"]?.arrayValue ?? []
    }

    @Test func sendMailLandsInSentItemsAndInTheRecipientsInboxesWithNotificationsAndDelta() async throws {
        let hook = WebhookInbox()
        try await WebhookReceiver.run(hook) { url in
            try await SimulatorHarness.run { graph in
                _ = try await graph.createMailbox("ada@outlook.com", messages: 0)
                _ = try await graph.createMailbox("bob@outlook.com", messages: 2, seed: 2)
                _ = try await graph.createMailbox("dave@outlook.com", messages: 0, seed: 3)
                let (ada, _) = try await graph.signIn("ada@outlook.com")
                let (bob, _) = try await graph.signIn("bob@outlook.com")
                let (dave, _) = try await graph.signIn("dave@outlook.com")
                let subscription = try await graph.send("POST", "/v1.0/subscriptions", token: bob, json: SubscriptionTests.subscriptionBody(url))
                #expect(subscription.status == 201)
                let initial = try await graph.send("GET", "/v1.0/me/mailFolders/inbox/messages/delta", token: bob)
                let deltaLink = try #require(initial.json["@odata.deltaLink"]?.stringValue)

                let sent = try await graph.send(
                    "POST",
                    "/v1.0/me/sendMail",
                    token: ada,
                    json: Self.sendMail(to: ["Bob@outlook.com"], cc: ["carol@example.com"], bcc: ["dave@outlook.com"], attachments: [Self.menu])
                )
                #expect(sent.status == 202)
                #expect(sent.body.isEmpty)

                let sentItems = try await Self.folder(graph, "sentitems", token: ada)
                #expect(sentItems.count == 1)
                let copy = try #require(sentItems.first)
                #expect(copy["isRead"]?.boolValue == true)
                #expect(copy["isDraft"]?.boolValue == false)
                #expect(copy["from"]?["emailAddress"]?["address"]?.stringValue == "ada@outlook.com")
                #expect(copy["bccRecipients"]?.arrayValue?.count == 1)
                #expect(copy["hasAttachments"]?.boolValue == true)
                #expect(copy["body"]?["contentType"]?.stringValue == "html")
                #expect(copy["bodyPreview"]?.stringValue == "Shall we meet at noon?")
                let internetMessageID = try #require(copy["internetMessageId"]?.stringValue)
                #expect(internetMessageID.hasPrefix("<") && internetMessageID.hasSuffix("@sim>"))

                let bobInbox = try await Self.folder(graph, "inbox", token: bob)
                let received = try #require(bobInbox.first { $0["subject"]?.stringValue == "Lunch" })
                #expect(received["isRead"]?.boolValue == false)
                #expect(received["bccRecipients"]?.arrayValue?.isEmpty == true)
                #expect(received["ccRecipients"]?.arrayValue?.first?["emailAddress"]?["address"]?.stringValue == "carol@example.com")
                #expect(received["internetMessageId"]?.stringValue == internetMessageID)
                #expect(received["conversationId"] == copy["conversationId"])
                let receivedID = try #require(received["id"]?.stringValue)
                let attachments = try await graph.send("GET", "/v1.0/me/messages/\(receivedID)/attachments", token: bob)
                #expect(attachments.json["value"]?.arrayValue?.first?["name"]?.stringValue == "menu.txt")

                let daveInbox = try await Self.folder(graph, "inbox", token: dave)
                #expect(daveInbox.count == 1)
                #expect(daveInbox.first?["bccRecipients"]?.arrayValue?.isEmpty == true)

                let notifications = await hook.waitFor(1)
                let item = try #require(notifications.first?["value"]?.arrayValue?.first)
                #expect(item["changeType"]?.stringValue == "created")
                #expect(item["resourceData"]?["id"]?.stringValue == receivedID)

                let delta = try await graph.send("GET", deltaLink, token: bob)
                #expect(delta.json["value"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [receivedID])
            }
        }
    }

    @Test func saveToSentItemsFalseKeepsNoCopyAndUsersIdWorksAlike() async throws {
        try await SimulatorHarness.run { graph in
            let adaID = try await graph.createMailbox("ada@outlook.com", messages: 0)
            _ = try await graph.createMailbox("bob@outlook.com", messages: 0, seed: 2)
            let (ada, _) = try await graph.signIn("ada@outlook.com")
            let (bob, _) = try await graph.signIn("bob@outlook.com")
            let sent = try await graph.send(
                "POST",
                "/v1.0/users/\(adaID)/sendMail",
                token: ada,
                json: Self.sendMail(to: ["bob@outlook.com"], saveToSentItems: false)
            )
            #expect(sent.status == 202)
            #expect(try await Self.folder(graph, "sentitems", token: ada).isEmpty)
            #expect(try await Self.folder(graph, "inbox", token: bob).count == 1)
        }
    }

    @Test func aTokenWithoutMailSendIsDeniedAndNothingIsSent() async throws {
        try await SimulatorHarness.run { graph in
            _ = try await graph.createMailbox("ada@outlook.com", messages: 0)
            _ = try await graph.createMailbox("bob@outlook.com", messages: 0, seed: 2)
            let granted = try await IdentityTests.signIn(graph, "ada@outlook.com", scope: "offline_access User.Read Mail.Read")
            let ada = try #require(granted.json["access_token"]?.stringValue)
            let denied = try await graph.send("POST", "/v1.0/me/sendMail", token: ada, json: Self.sendMail(to: ["bob@outlook.com"]))
            #expect(denied.status == 403)
            #expect(denied.json["error"]?["code"]?.stringValue == "ErrorAccessDenied")
            let (bob, _) = try await graph.signIn("bob@outlook.com")
            #expect(try await Self.folder(graph, "inbox", token: bob).isEmpty, "nothing was delivered")
        }
    }

    @Test func invalidRequestsGetGraphsErrors() async throws {
        try await SimulatorHarness.run { graph in
            _ = try await graph.createMailbox("ada@outlook.com", messages: 0)
            let (ada, _) = try await graph.signIn("ada@outlook.com")
            func code(_ body: JSONValue) async throws -> (Int, String?) {
                let reply = try await graph.send("POST", "/v1.0/me/sendMail", token: ada, json: body)
                return (reply.status, reply.json["error"]?["code"]?.stringValue)
            }
            #expect(try await code(Self.sendMail()) == (400, "ErrorInvalidRecipients"))
            #expect(try await code(Self.sendMail(to: ["not-an-address"])) == (400, "ErrorInvalidRecipients"))
            #expect(try await code(.object([("saveToSentItems", .bool(true))])) == (400, "ErrorInvalidParameter"))
            let badBytes = JSONValue.object([
                ("@odata.type", .string("#microsoft.graph.fileAttachment")), ("name", .string("x.bin")), ("contentBytes", .string("***")),
            ])
            let base64 = try await graph.send(
                "POST",
                "/v1.0/me/sendMail",
                token: ada,
                json: Self.sendMail(to: ["bob@example.com"], attachments: [badBytes])
            )
            #expect(base64.status == 400)
            #expect(base64.json["error"]?["code"]?.stringValue == "ErrorMimeContentInvalidBase64String")
            if Fixtures.available {
                Fixtures.expectShape(base64.json, like: try Fixtures.load("error.ErrorMimeContentInvalidBase64String-400.response.json"))
            }
            let wrongType = JSONValue.object([
                (
                    "message",
                    .object([
                        ("body", .object([("contentType", .string("rtf")), ("content", .string("x"))])),
                        ("toRecipients", Self.recipients(["b@example.com"])),
                    ])
                )
            ])
            #expect(try await code(wrongType).0 == 400)
            let large = JSONValue.object([
                ("@odata.type", .string("#microsoft.graph.fileAttachment")), ("name", .string("big.bin")),
                ("contentBytes", .string(Data(count: 3_200_000).base64EncodedString())),
            ])
            #expect(try await code(Self.sendMail(to: ["bob@example.com"], attachments: [large])) == (413, "ErrorRequestEntityTooLarge"))
            let unparsable = try await graph.send("POST", "/v1.0/me/sendMail", token: ada, headers: [("Content-Type", "application/json")])
            #expect(unparsable.status == 400)
            #expect(try await Self.folder(graph, "sentitems", token: ada).isEmpty)
        }
    }

    @Test func replyReplyAllAndForwardThreadAndAddressAsGraphDoes() async throws {
        try await SimulatorHarness.run { graph in
            _ = try await graph.createMailbox("ada@outlook.com", messages: 0)
            _ = try await graph.createMailbox("bob@outlook.com", messages: 0, seed: 2)
            _ = try await graph.createMailbox("dave@outlook.com", messages: 0, seed: 3)
            let (ada, _) = try await graph.signIn("ada@outlook.com")
            let (bob, _) = try await graph.signIn("bob@outlook.com")
            let (dave, _) = try await graph.signIn("dave@outlook.com")
            let first = Self.sendMail(to: ["bob@outlook.com", "erin@example.com"], cc: ["carol@example.com"], attachments: [Self.menu])
            #expect(try await graph.send("POST", "/v1.0/me/sendMail", token: ada, json: first).status == 202)
            let original = try #require(try await Self.folder(graph, "inbox", token: bob).first)
            let originalID = try #require(original["id"]?.stringValue)
            let conversation = try #require(original["conversationId"]?.stringValue)

            let reply = try await graph.send(
                "POST",
                "/v1.0/me/messages/\(originalID)/reply",
                token: bob,
                json: .object([("comment", .string("Noon works & suits me."))])
            )
            #expect(reply.status == 202)
            let adaInbox = try await Self.folder(graph, "inbox", token: ada)
            let answer = try #require(adaInbox.first)
            #expect(answer["subject"]?.stringValue == "RE: Lunch")
            #expect(answer["conversationId"]?.stringValue == conversation)
            #expect(answer["toRecipients"]?.arrayValue?.compactMap { $0["emailAddress"]?["address"]?.stringValue } == ["ada@outlook.com"])
            #expect(answer["hasAttachments"]?.boolValue == false)
            let answerText = try await graph.send(
                "GET",
                "/v1.0/me/messages/\(try #require(answer["id"]?.stringValue))?$select=body",
                token: ada,
                headers: [("Prefer", "outlook.body-content-type=\"text\"")]
            )
            let text = try #require(answerText.json["body"]?["content"]?.stringValue)
            #expect(text.contains("Noon works & suits me."))
            #expect(text.contains("Shall we meet at noon?"))
            let written = try #require(text.range(of: "Noon works"))
            let quoted = try #require(text.range(of: "Shall we meet"))
            #expect(written.lowerBound < quoted.lowerBound)
            #expect(try await Self.folder(graph, "sentitems", token: bob).first?["subject"]?.stringValue == "RE: Lunch")

            // Replying to the reply keeps one prefix.
            let again = try await graph.send(
                "POST",
                "/v1.0/me/messages/\(try #require(answer["id"]?.stringValue))/reply",
                token: ada,
                json: .object([])
            )
            #expect(again.status == 202)
            #expect(try await Self.folder(graph, "inbox", token: bob).map { $0["subject"]?.stringValue } == ["RE: Lunch", "Lunch"])

            let replyAll = try await graph.send(
                "POST",
                "/v1.0/me/messages/\(originalID)/replyAll",
                token: bob,
                json: .object([("comment", .string("All"))])
            )
            #expect(replyAll.status == 202)
            let all = try #require(try await Self.folder(graph, "sentitems", token: bob).first { $0["toRecipients"]?.arrayValue?.count == 2 })
            let to = all["toRecipients"]?.arrayValue?.compactMap { $0["emailAddress"]?["address"]?.stringValue }
            #expect(to == ["ada@outlook.com", "erin@example.com"])
            #expect(all["ccRecipients"]?.arrayValue?.compactMap { $0["emailAddress"]?["address"]?.stringValue } == ["carol@example.com"])

            let forward = try await graph.send(
                "POST",
                "/v1.0/me/messages/\(originalID)/forward",
                token: bob,
                json: .object([("comment", .string("FYI")), ("toRecipients", Self.recipients(["dave@outlook.com"]))])
            )
            #expect(forward.status == 202)
            let forwarded = try #require(try await Self.folder(graph, "inbox", token: dave).first)
            #expect(forwarded["subject"]?.stringValue == "FW: Lunch")
            #expect(forwarded["hasAttachments"]?.boolValue == true)
            #expect(forwarded["conversationId"]?.stringValue == conversation)

            let path = "/v1.0/me/messages/\(originalID)/forward"
            let neither = try await graph.send("POST", path, token: bob, json: .object([("comment", .string("FYI"))]))
            #expect(neither.status == 400)
            let both = try await graph.send(
                "POST",
                "/v1.0/me/messages/\(originalID)/reply",
                token: bob,
                json: .object([
                    ("comment", .string("x")),
                    ("message", .object([("body", .object([("contentType", .string("text")), ("content", .string("y"))]))])),
                ])
            )
            #expect(both.status == 400)
            let missing = try await graph.send("POST", "/v1.0/me/messages/AAMkADnope=/reply", token: bob, json: .object([]))
            #expect(missing.status == 404)
            #expect(missing.json["error"]?["code"]?.stringValue == "ErrorItemNotFound")
        }
    }

    @Test func createReplyMakesADraftThatSendMovesToSentItems() async throws {
        try await SimulatorHarness.run { graph in
            _ = try await graph.createMailbox("ada@outlook.com", messages: 0)
            _ = try await graph.createMailbox("bob@outlook.com", messages: 0, seed: 2)
            let (ada, _) = try await graph.signIn("ada@outlook.com")
            let (bob, _) = try await graph.signIn("bob@outlook.com")
            #expect(try await graph.send("POST", "/v1.0/me/sendMail", token: ada, json: Self.sendMail(to: ["bob@outlook.com"])).status == 202)
            let originalID = try #require(try await Self.folder(graph, "inbox", token: bob).first?["id"]?.stringValue)
            let created = try await graph.send(
                "POST",
                "/v1.0/me/messages/\(originalID)/createReply",
                token: bob,
                json: .object([("comment", .string("Draft"))])
            )
            #expect(created.status == 201)
            #expect(created.json["isDraft"]?.boolValue == true)
            #expect(created.json["subject"]?.stringValue == "RE: Lunch")
            let draftID = try #require(created.json["id"]?.stringValue)
            #expect(try await Self.folder(graph, "drafts", token: bob).count == 1)
            #expect(try await graph.send("POST", "/v1.0/me/messages/\(originalID)/send", token: bob).status == 400)
            #expect(try await graph.send("POST", "/v1.0/me/messages/\(draftID)/send", token: bob).status == 202)
            #expect(try await Self.folder(graph, "drafts", token: bob).isEmpty)
            #expect(try await Self.folder(graph, "sentitems", token: bob).first?["isDraft"]?.boolValue == false)
            #expect(try await Self.folder(graph, "inbox", token: ada).first?["subject"]?.stringValue == "RE: Lunch")
        }
    }
}
