import Foundation
import MailpulseCore
import MailpulseServer
import Redis
import RedisBackplane
import TestSupport
import Testing

/// `/webhooks/graph` and `/webhooks/graph/lifecycle`, with no workers running, so what the intake alone does is
/// visible: it queues valid notifications and nothing else, and never calls Graph or writes the store.
@Suite(.enabled(if: TestEnvironment.hasRedis, "needs REDIS_URL (make test provides it)"))
struct WebhookIntakeTests {
    static let paths = ["/webhooks/graph", "/webhooks/graph/lifecycle"]

    static func run(_ body: @Sendable (LinkHarness, RedisChangeQueue, RedisSubscriptionDirectory) async throws -> Void) async throws {
        try await LinkHarness.run(workers: 0) { harness in
            let client = TestEnvironment.redisClient(maximumConnections: 2)
            let prefix = harness.configuration.redisPrefix
            try await body(
                harness,
                RedisChangeQueue(client: client, prefix: prefix),
                RedisSubscriptionDirectory(client: client, prefix: prefix)
            )
        }
    }

    static func notification(_ subscription: String, _ clientState: String, message: String = "AAMkAD1", changeType: String = "updated") -> String {
        """
        {"subscriptionId":"\(subscription)","clientState":"\(clientState)","changeType":"\(changeType)",\
        "resource":"Users/u1/Messages/\(message)","resourceData":{"@odata.type":"#Microsoft.Graph.Message",\
        "@odata.etag":"W/\\"CQAAABYAAAA\\"","id":"\(message)"},"tenantId":"t1"}
        """
    }

    @Test func theValidationHandshakeEchoesTheDecodedToken() async throws {
        try await Self.run { harness, _, _ in
            for path in Self.paths {
                let reply = try await harness.send(
                    "POST",
                    "\(path)?validationToken=Validation%3a+Testing+client+application+reachability+for+subscription+Request-Id%3a+b2f0%2B1"
                )
                #expect(reply.status == 200)
                #expect(reply.headers["content-type"]?.hasPrefix("text/plain") == true)
                #expect(reply.text == "Validation: Testing client application reachability for subscription Request-Id: b2f0+1")
            }
        }
    }

    @Test func validNotificationsAreQueuedOncePerMessageAndAnsweredWith202() async throws {
        try await Self.run { harness, queue, directory in
            let account = AccountID.random()
            try await directory.register("sub-1", account: account, clientState: "state-1", expiresAt: Date(timeIntervalSinceNow: 3600))
            let burst =
                Array(repeating: Self.notification("sub-1", "state-1"), count: 10) + [Self.notification("sub-1", "state-1", message: "AAMkAD2")]
            let reply = try await harness.send("POST", "/webhooks/graph", json: "{\"value\":[\(burst.joined(separator: ","))]}")
            #expect(reply.status == 202)
            #expect(reply.json["accepted"] as? Int == 11)
            #expect(reply.json["queued"] as? Int == 2)
            #expect(try await queue.length() == 2)

            let lifecycle = #"{"value":[{"subscriptionId":"sub-1","clientState":"state-1","lifecycleEvent":"missed","tenantId":"t1"}]}"#
            #expect(try await harness.send("POST", "/webhooks/graph/lifecycle", json: lifecycle).status == 202)
            #expect(try await queue.length() == 3)
        }
    }

    /// Concurrent deliveries are queued together, and each is answered with its own counts.
    @Test func concurrentDeliveriesAreEachAnsweredWithTheirOwnCounts() async throws {
        try await Self.run { harness, queue, directory in
            try await directory.register("sub-1", account: AccountID.random(), clientState: "state-1", expiresAt: Date(timeIntervalSinceNow: 3600))
            // Delivery → (accepted, queued).
            let replies = try await withThrowingTaskGroup(of: (Int, Int?, Int?).self) { group in
                for delivery in 0..<40 {
                    // Even deliveries name a message of their own twice; odd ones name one message all of them share.
                    let message = delivery % 2 == 0 ? "AAMkOwn\(delivery)" : "AAMkShared"
                    let body = [Self.notification("sub-1", "state-1", message: message), Self.notification("sub-1", "state-1", message: message)]
                    group.addTask {
                        let reply = try await harness.send("POST", "/webhooks/graph", json: "{\"value\":[\(body.joined(separator: ","))]}")
                        return (delivery, reply.json["accepted"] as? Int, reply.json["queued"] as? Int)
                    }
                }
                return try await group.reduce(into: [Int: (accepted: Int?, queued: Int?)]()) { $0[$1.0] = ($1.1, $1.2) }
            }
            #expect(replies.count == 40)
            for (delivery, reply) in replies {
                #expect(reply.accepted == 2)
                if delivery % 2 == 0 { #expect(reply.queued == 1) }
            }
            let sharedQueued = replies.filter { $0.key % 2 == 1 }.compactMap(\.value.queued)
            #expect(sharedQueued.sorted() == Array(repeating: 0, count: 19) + [1])
            #expect(try await queue.length() == 21)
        }
    }

    @Test func badInputGetsItsStatusAndChangesNothing() async throws {
        try await Self.run { harness, queue, directory in
            let account = AccountID.random()
            try await directory.register("sub-1", account: account, clientState: "state-1", expiresAt: Date(timeIntervalSinceNow: 3600))
            let statsBefore = try await harness.send("GET", "\(harness.simulator)/sim/stats").json["requests"] as? [String: Any]

            var cases: [(body: String, status: Int, counter: String?)] = [
                ("not json", 400, nil),
                ("{\"value\":5}", 400, nil),
                ("[1,2]", 400, nil),
                ("{\"value\":[\(Self.notification("sub-1", "wrong"))]}", 202, "clientStateMismatch"),
                ("{\"value\":[\(Self.notification("sub-9", "state-1"))]}", 202, "unknownSubscription"),
                ("{\"value\":[\(Self.notification("sub-1", "state-1", changeType: "renamed"))]}", 202, "malformed"),
                ("{\"value\":[{\"clientState\":\"state-1\",\"changeType\":\"updated\"}]}", 202, "malformed"),
                (
                    "{\"value\":[\(String(repeating: "\(Self.notification("sub-1", "state-1")),", count: 1000))\(Self.notification("sub-1", "state-1"))]}",
                    413, nil
                ),
                ("{\"value\":[\"\(String(repeating: "x", count: 1 << 20))\"]}", 413, nil),
            ]
            if TestEnvironment.hasGraphFixtures {
                for name in [
                    "notification.message-created.webhooks-concept.json", "notification.message-created.outlook-overview.json",
                    "notification.message-created.with-resource-data.outlook-overview.json", "notification.eventhubs-validation.NOT-webhook.json",
                    "lifecycle.missed.json", "lifecycle.reauthorizationRequired.json", "lifecycle.subscriptionRemoved.json",
                ] {
                    let text = try String(contentsOf: TestEnvironment.graphFixtures.appendingPathComponent(name), encoding: .utf8)
                    cases.append((text, 202, nil))
                }
            }
            for (body, status, counter) in cases {
                for path in Self.paths {
                    let reply = try await harness.send("POST", path, json: body)
                    #expect(reply.status == status, "\(body.prefix(80))")
                    if status != 202 {
                        #expect((reply.json["error"] as? [String: Any])?["message"] is String, "\(body.prefix(80))")
                    } else {
                        #expect(reply.json["accepted"] as? Int == 0)
                        if let counter { #expect(reply.json[counter] as? Int == 1, "\(body.prefix(80))") }
                    }
                }
            }
            #expect(try await queue.length() == 0)
            let statsAfter = try await harness.send("GET", "\(harness.simulator)/sim/stats").json["requests"] as? [String: Any]
            #expect(NSDictionary(dictionary: statsAfter ?? [:]).isEqual(to: statsBefore ?? [:]))
        }
    }
}
