import Foundation
import GraphSimulator
import Testing

@Suite struct MessageBodyTests {
    static let html = "<html><head><style>p { color: red; }</style></head><body><p>Hello &amp; <b>welcome</b></p><p>Line two</p></body></html>"

    /// Seeds a message through the control API; answers its control JSON.
    static func seed(_ graph: GraphClient, mailbox: String, _ members: [(String, JSONValue)]) async throws -> JSONValue {
        let reply = try await graph.send("POST", "/sim/mailboxes/\(mailbox)/messages", json: .object(members))
        #expect(reply.status == 201, "\(String(decoding: reply.body, as: UTF8.self))")
        return reply.json
    }

    @Test func htmlBodiesComeAsStoredOrAsTextWhenPreferredWithPreferenceApplied() async throws {
        try await SimulatorHarness.run { graph in
            let mailbox = try await graph.createMailbox("ada@outlook.com", messages: 0)
            let (access, _) = try await graph.signIn("ada@outlook.com")
            let seeded = try await Self.seed(
                graph,
                mailbox: mailbox,
                [
                    ("subject", .string("Welcome")), ("body", .string(Self.html)), ("contentType", .string("html")),
                    ("cc", .array([.object([("name", .string("Grace")), ("address", .string("grace@example.net"))])])),
                ]
            )
            let id = try #require(seeded["restId"]?.stringValue)
            let full = try await graph.send("GET", "/v1.0/me/messages/\(id)", token: access)
            #expect(full.status == 200)
            if Fixtures.available { Fixtures.expectShape(full.json, like: try Fixtures.load("message-get.full.response.json")) }
            #expect(full.json["body"]?["contentType"]?.stringValue == "html")
            #expect(full.json["body"]?["content"]?.stringValue == Self.html)
            #expect(full.json["bodyPreview"]?.stringValue == "Hello & welcome\r\nLine two")
            #expect(full.json["ccRecipients"]?.arrayValue?.first?["emailAddress"]?["address"]?.stringValue == "grace@example.net")
            #expect(full.json["bccRecipients"]?.arrayValue?.isEmpty == true)
            #expect(full.json["replyTo"]?.arrayValue?.isEmpty == true)
            #expect(full.headers["preference-applied"] == nil)
            // The page's body view shows HTML as source.
            let source = try await graph.send("GET", "/sim/mailboxes/\(mailbox)/messages/\(id)/body")
            #expect(source.status == 200)
            #expect(source.headers["content-type"] == "text/plain; charset=utf-8")
            #expect(String(decoding: source.body, as: UTF8.self) == Self.html)

            let text = try await graph.send(
                "GET",
                "/v1.0/me/messages/\(id)?$select=subject,body,bodyPreview",
                token: access,
                headers: [("Prefer", "outlook.body-content-type=\"text\"")]
            )
            if Fixtures.available {
                Fixtures.expectShape(text.json, like: try Fixtures.load("message-get.prefer-text-body.response.json"), ignoring: ["uniqueBody"])
            }
            #expect(text.json["body"]?["contentType"]?.stringValue == "text")
            #expect(text.json["body"]?["content"]?.stringValue == "Hello & welcome\r\nLine two\r\n")
            #expect(text.headers["preference-applied"] == "outlook.body-content-type=\"text\"")
            #expect(text.json["toRecipients"] == nil)

            let html = try await graph.send(
                "GET",
                "/v1.0/me/messages/\(id)?$select=body",
                token: access,
                headers: [("Prefer", "outlook.body-content-type=\"html\"")]
            )
            #expect(html.json["body"]?["content"]?.stringValue == Self.html)
            #expect(html.headers["preference-applied"] == "outlook.body-content-type=\"html\"")

            let list = try await graph.send(
                "GET",
                "/v1.0/me/mailFolders/inbox/messages?$select=body",
                token: access,
                headers: [("Prefer", "outlook.body-content-type=\"text\"")]
            )
            #expect(list.json["value"]?.arrayValue?.first?["body"]?["contentType"]?.stringValue == "text")
        }
    }

    @Test func textBodiesBecomeEscapedHTMLWhenPreferred() async throws {
        try await SimulatorHarness.run { graph in
            let mailbox = try await graph.createMailbox("ada@outlook.com", messages: 3)
            let (access, _) = try await graph.signIn("ada@outlook.com")
            let seeded = try await Self.seed(graph, mailbox: mailbox, [("subject", .string("Maths")), ("body", .string("a < b & c\nnext"))])
            let id = try #require(seeded["restId"]?.stringValue)
            let plain = try await graph.send("GET", "/v1.0/me/messages/\(id)?$select=body,bodyPreview", token: access)
            #expect(plain.json["body"]?["contentType"]?.stringValue == "text")
            #expect(plain.json["bodyPreview"]?.stringValue == "a < b & c\nnext")
            let html = try await graph.send(
                "GET",
                "/v1.0/me/messages/\(id)?$select=body",
                token: access,
                headers: [("Prefer", "outlook.body-content-type=\"html\"")]
            )
            #expect(html.json["body"]?["contentType"]?.stringValue == "html")
            let content = try #require(html.json["body"]?["content"]?.stringValue)
            #expect(content.contains("<body>"))
            #expect(content.contains("a &lt; b &amp; c<br>"))
            // A long body previews its first 255 characters.
            let long = try await Self.seed(graph, mailbox: mailbox, [("body", .string(String(repeating: "x", count: 300)))])
            let longID = try #require(long["restId"]?.stringValue)
            let preview = try await graph.send("GET", "/v1.0/me/messages/\(longID)?$select=bodyPreview", token: access)
            #expect(preview.json["bodyPreview"]?.stringValue?.count == 255)
            let rtf = try await graph.send(
                "POST",
                "/sim/mailboxes/\(mailbox)/messages",
                json: .object([("body", .string("x")), ("contentType", .string("rtf"))])
            )
            #expect(rtf.status == 400)
        }
    }
}
