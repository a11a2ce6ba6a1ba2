import Foundation
import GraphSimulator
import Testing

@Suite struct SubscriptionTests {
    static func subscriptionBody(_ url: String, resource: String = "me/messages", clientState: String = "s3cret", minutes: Double = 4000) -> JSONValue
    {
        .object([
            ("changeType", .string("created,updated,deleted")),
            ("notificationUrl", .string(url)),
            ("lifecycleNotificationUrl", .string(url)),
            ("resource", .string(resource)),
            ("expirationDateTime", .string(Date().addingTimeInterval(minutes * 60).formatted(.iso8601))),
            ("clientState", .string(clientState)),
        ])
    }

    @Test func creatingValidatesBothURLsThenChangesNotifyInTheDocumentedShape() async throws {
        let inbox = WebhookInbox()
        try await WebhookReceiver.run(inbox) { hook in
            try await SimulatorHarness.run { graph in
                let mailbox = try await graph.createMailbox("ada@outlook.com", messages: 3)
                let (access, _) = try await graph.signIn("ada@outlook.com")
                let created = try await graph.send(
                    "POST",
                    "/v1.0/subscriptions",
                    token: access,
                    headers: [("Prefer", "IdType=\"ImmutableId\"")],
                    json: Self.subscriptionBody(hook)
                )
                #expect(created.status == 201, "\(String(decoding: created.body, as: UTF8.self))")
                if Fixtures.available { Fixtures.expectShape(created.json, like: try Fixtures.load("subscription-create.api-ref.response.json")) }
                let validations = await inbox.validations
                #expect(validations.count == 2)
                #expect(validations.allSatisfy { $0.hasPrefix("Validation: Testing client application reachability for subscription Request-Id: ") })
                let subscriptionID = try #require(created.json["id"]?.stringValue)

                let arrival = try await graph.send("POST", "/sim/mailboxes/\(mailbox)/messages", json: .object([("subject", .string("Hi"))]))
                let messageID = try #require(arrival.json["id"]?.stringValue)
                let notifications = await inbox.waitFor(1)
                let notification = try #require(notifications.first)
                if Fixtures.available {
                    Fixtures.expectShape(
                        notification,
                        like: try Fixtures.load("notification.message-created.webhooks-concept.json"),
                        ignoring: ["id"]
                    )
                }
                let item = try #require(notification["value"]?.arrayValue?.first)
                #expect(item["subscriptionId"]?.stringValue == subscriptionID)
                #expect(item["changeType"]?.stringValue == "created")
                #expect(item["clientState"]?.stringValue == "s3cret")
                #expect(item["resourceData"]?["id"]?.stringValue == messageID)

                _ = try await graph.send("PATCH", "/sim/mailboxes/\(mailbox)/messages/\(messageID)", json: .object([("flag", .string("flagged"))]))
                _ = try await graph.send("DELETE", "/sim/mailboxes/\(mailbox)/messages/\(messageID)?permanent=true")
                let all = await inbox.waitFor(3)
                let kinds = all.compactMap { $0["value"]?.arrayValue?.first?["changeType"]?.stringValue }
                #expect(Set(kinds) == ["created", "updated", "deleted"])

                let lifecycle = try await graph.send(
                    "POST",
                    "/sim/subscriptions/\(subscriptionID)/lifecycle",
                    json: .object([("event", .string("missed"))])
                )
                #expect(lifecycle.status == 202)
                let withLifecycle = await inbox.waitFor(4)
                let event = try #require(withLifecycle.last?["value"]?.arrayValue?.first)
                if Fixtures.available {
                    Fixtures.expectShape(.object([("value", .array([event]))]), like: try Fixtures.load("lifecycle.missed.json"))
                }
                #expect(event["lifecycleEvent"]?.stringValue == "missed")
            }
        }
    }

    @Test func renewReadAndDelete() async throws {
        let inbox = WebhookInbox()
        try await WebhookReceiver.run(inbox) { hook in
            try await SimulatorHarness.run { graph in
                _ = try await graph.createMailbox("ada@outlook.com", messages: 0)
                let (access, _) = try await graph.signIn("ada@outlook.com")
                let created = try await graph.send(
                    "POST",
                    "/v1.0/subscriptions",
                    token: access,
                    json: Self.subscriptionBody(hook, resource: "me/mailFolders('Inbox')/messages")
                )
                let id = try #require(created.json["id"]?.stringValue)
                let later = Date().addingTimeInterval(9000 * 60).formatted(.iso8601)
                let renewed = try await graph.send(
                    "PATCH",
                    "/v1.0/subscriptions/\(id)",
                    token: access,
                    json: .object([("expirationDateTime", .string(later))])
                )
                #expect(renewed.status == 200)
                #expect(renewed.json["expirationDateTime"]?.stringValue?.hasPrefix(String(later.prefix(16))) == true)
                #expect(try await graph.send("GET", "/v1.0/subscriptions", token: access).json["value"]?.arrayValue?.count == 1)
                #expect(try await graph.send("POST", "/v1.0/subscriptions/\(id)/reauthorize", token: access).status == 204)
                #expect(try await graph.send("DELETE", "/v1.0/subscriptions/\(id)", token: access).status == 204)
                #expect(try await graph.send("GET", "/v1.0/subscriptions/\(id)", token: access).status == 404)
                #expect(
                    try await graph.send("PATCH", "/v1.0/subscriptions/\(id)", token: access, json: .object([("expirationDateTime", .string(later))]))
                        .status == 404
                )
            }
        }
    }

    @Test func badSubscriptionsAreRefused() async throws {
        let inbox = WebhookInbox()
        try await WebhookReceiver.run(inbox) { hook in
            try await SimulatorHarness.run { graph in
                _ = try await graph.createMailbox("ada@outlook.com", messages: 0)
                let (access, _) = try await graph.signIn("ada@outlook.com")
                let tooLong = try await graph.send(
                    "POST",
                    "/v1.0/subscriptions",
                    token: access,
                    json: Self.subscriptionBody(hook, clientState: String(repeating: "x", count: 129))
                )
                #expect(tooLong.status == 400)
                let tooFar = try await graph.send("POST", "/v1.0/subscriptions", token: access, json: Self.subscriptionBody(hook, minutes: 20_000))
                #expect(tooFar.status == 400)
                #expect(tooFar.json["error"]?["code"]?.stringValue == "ExtensionError")
                await inbox.setMode(.wrongToken)
                let wrongEcho = try await graph.send("POST", "/v1.0/subscriptions", token: access, json: Self.subscriptionBody(hook))
                #expect(wrongEcho.status == 400)
                #expect(wrongEcho.json["error"]?["code"]?.stringValue == "ValidationError")
                await inbox.setMode(.refuse)
                #expect(try await graph.send("POST", "/v1.0/subscriptions", token: access, json: Self.subscriptionBody(hook)).status == 400)
                #expect(try await graph.send("GET", "/v1.0/subscriptions", token: access).json["value"]?.arrayValue?.isEmpty == true)
            }
        }
    }

    @Test func aFailedDeliveryIsRetried() async throws {
        let inbox = WebhookInbox()
        try await WebhookReceiver.run(inbox) { hook in
            try await SimulatorHarness.run { graph in
                let mailbox = try await graph.createMailbox("ada@outlook.com", messages: 0)
                let (access, _) = try await graph.signIn("ada@outlook.com")
                #expect(try await graph.send("POST", "/v1.0/subscriptions", token: access, json: Self.subscriptionBody(hook)).status == 201)
                await inbox.failNext(2)
                _ = try await graph.send("POST", "/sim/mailboxes/\(mailbox)/messages", json: .object([("subject", .string("retry me"))]))
                #expect(await inbox.waitFor(1).count == 1)
                let stats = try await graph.stats { $0["notificationsSent"]?.numberValue == 1 }
                #expect(stats["deliveryRetries"]?.numberValue == 2)
                #expect(stats["notificationsSent"]?.numberValue == 1)
            }
        }
    }
}
