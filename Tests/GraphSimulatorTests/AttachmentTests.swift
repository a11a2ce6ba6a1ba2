import Foundation
import GraphSimulator
import Testing

@Suite struct AttachmentTests {
    static let pdf = Data("%PDF-1.4 a small report".utf8)

    static func attachment(_ members: [(String, JSONValue)]) -> JSONValue {
        .object(members)
    }

    @Test func listSelectGetAndRawValueOfFileAttachments() async throws {
        try await SimulatorHarness.run { graph in
            let mailbox = try await graph.createMailbox("ada@outlook.com", messages: 2)
            let (access, _) = try await graph.signIn("ada@outlook.com")
            let seeded = try await MessageBodyTests.seed(
                graph,
                mailbox: mailbox,
                [
                    ("subject", .string("Report")), ("body", .string("<p>See attached <img src=\"cid:logo@sim\"></p>")),
                    ("contentType", .string("html")),
                    (
                        "attachments",
                        .array([
                            Self.attachment([
                                ("name", .string("report.pdf")), ("contentType", .string("application/pdf")),
                                ("contentBytes", .string(Self.pdf.base64EncodedString())),
                            ]),
                            Self.attachment([
                                ("name", .string("logo.png")), ("contentType", .string("image/png")), ("size", .number(1000)),
                                ("isInline", .bool(true)), ("contentId", .string("logo@sim")),
                            ]),
                        ])
                    ),
                ]
            )
            #expect(seeded["hasAttachments"]?.boolValue == true)
            let id = try #require(seeded["restId"]?.stringValue)
            let message = try await graph.send("GET", "/v1.0/me/messages/\(id)?$select=hasAttachments", token: access)
            #expect(message.json["hasAttachments"]?.boolValue == true)

            let list = try await graph.send("GET", "/v1.0/me/messages/\(id)/attachments", token: access)
            #expect(list.status == 200)
            let items = try #require(list.json["value"]?.arrayValue)
            #expect(items.count == 2)
            #expect(items.allSatisfy { $0["@odata.type"]?.stringValue == "#microsoft.graph.fileAttachment" })
            let report = try #require(items.first { $0["name"]?.stringValue == "report.pdf" })
            #expect(report["contentType"]?.stringValue == "application/pdf")
            #expect(report["size"]?.numberValue == Double(Self.pdf.count))
            #expect(report["isInline"]?.boolValue == false)
            #expect(report["lastModifiedDateTime"]?.stringValue != nil)
            #expect(report["contentBytes"]?.stringValue.flatMap { Data(base64Encoded: $0) } == Self.pdf)
            let logo = try #require(items.first { $0["name"]?.stringValue == "logo.png" })
            #expect(logo["isInline"]?.boolValue == true)
            #expect(logo["contentId"]?.stringValue == "logo@sim")
            #expect(logo["size"]?.numberValue == 1000)

            let selected = try await graph.send("GET", "/v1.0/me/messages/\(id)/attachments?$select=id,name,contentType,size,isInline", token: access)
            let first = try #require(selected.json["value"]?.arrayValue?.first)
            #expect(first["contentBytes"] == nil)
            #expect(first["id"]?.stringValue != nil)
            #expect(first["name"]?.stringValue != nil)
            #expect(first["size"]?.numberValue != nil)
            #expect(try await graph.send("GET", "/v1.0/me/messages/\(id)/attachments?$select=bogus", token: access).status == 400)

            let attachmentID = try #require(report["id"]?.stringValue)
            let one = try await graph.send("GET", "/v1.0/me/messages/\(id)/attachments/\(attachmentID)", token: access)
            #expect(one.status == 200)
            #expect(one.json["contentBytes"]?.stringValue == Self.pdf.base64EncodedString())
            let raw = try await graph.send("GET", "/v1.0/me/messages/\(id)/attachments/\(attachmentID)/$value", token: access)
            #expect(raw.status == 200)
            #expect(raw.body == Self.pdf)
            #expect(raw.headers["content-type"] == "application/pdf")

            // The folder-scoped and users/{id} forms reach the same attachments.
            let scoped = try await graph.send("GET", "/v1.0/me/mailFolders/inbox/messages/\(id)/attachments/\(attachmentID)/$value", token: access)
            #expect(scoped.body == Self.pdf)
            let byUser = try await graph.send("GET", "/v1.0/users/\(mailbox)/messages/\(id)/attachments", token: access)
            #expect(byUser.json["value"]?.arrayValue?.count == 2)
            let expanded = try await graph.send("GET", "/v1.0/me/messages/\(id)?$expand=attachments", token: access)
            #expect(expanded.json["attachments"]?.arrayValue?.count == 2)

            for path in [
                "/v1.0/me/messages/\(id)/attachments/AAMkADnope=", "/v1.0/me/messages/AAMkADnope=/attachments",
                "/v1.0/me/messages/\(id)/attachments/AAMkADnope=/$value",
            ] {
                let missing = try await graph.send("GET", path, token: access)
                #expect(missing.status == 404, "\(path)")
                #expect(missing.json["error"]?["code"]?.stringValue == "ErrorItemNotFound")
            }
        }
    }

    @Test func inlineAttachmentsAloneLeaveHasAttachmentsFalse() async throws {
        try await SimulatorHarness.run { graph in
            let mailbox = try await graph.createMailbox("ada@outlook.com", messages: 0)
            let (access, _) = try await graph.signIn("ada@outlook.com")
            let seeded = try await MessageBodyTests.seed(
                graph,
                mailbox: mailbox,
                [
                    (
                        "attachments",
                        .array([Self.attachment([("name", .string("logo.png")), ("size", .number(10)), ("isInline", .bool(true))])])
                    )
                ]
            )
            #expect(seeded["hasAttachments"]?.boolValue == false)
            let id = try #require(seeded["restId"]?.stringValue)
            let message = try await graph.send("GET", "/v1.0/me/messages/\(id)", token: access)
            #expect(message.json["hasAttachments"]?.boolValue == false)
            #expect(try await graph.send("GET", "/v1.0/me/messages/\(id)/attachments", token: access).json["value"]?.arrayValue?.count == 1)
            let bad = try await graph.send(
                "POST",
                "/sim/mailboxes/\(mailbox)/messages",
                json: .object([("attachments", .array([Self.attachment([("name", .string("x")), ("contentBytes", .string("not base64!"))])]))])
            )
            #expect(bad.status == 400)
            let tooBig = try await graph.send(
                "POST",
                "/sim/mailboxes/\(mailbox)/messages",
                json: .object([("attachments", .array([Self.attachment([("name", .string("x")), ("size", .number(-1))])]))])
            )
            #expect(tooBig.status == 400)
        }
    }
}
