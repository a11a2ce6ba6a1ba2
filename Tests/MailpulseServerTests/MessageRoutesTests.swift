import Foundation
import MailpulseCore
import TestSupport
import Testing

/// Opening and sending mail from an Outlook account, through the service against graph-sim: a message's body and
/// attachments, its conversation, new messages, replies and forwards, retries and bad input.
@Suite(.enabled(if: TestEnvironment.hasRedis, "needs REDIS_URL (make test provides it)"))
struct MessageRoutesTests {
    static func bearer(_ token: String) -> [(String, String)] { [("Authorization", "Bearer \(token)")] }

    /// A message put in a simulated mailbox's folder; answers nothing (its id in the mirror is found by subject).
    static func deliver(_ harness: LinkHarness, to mailbox: String, json: String) async throws {
        let reply = try await harness.send("POST", "\(harness.simulator)/sim/mailboxes/\(mailbox)/messages", json: json)
        #expect(reply.status == 201, "\(reply.text)")
    }

    /// The mirror's messages matching `q`, once there are `count` of them (polled for up to 20 s).
    static func listed(_ harness: LinkHarness, _ account: AccountID, token: String, q: String, count: Int = 1) async throws -> [[String: Any]] {
        var messages: [[String: Any]] = []
        let query = q.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? q
        _ = try await TestEnvironment.eventually {
            messages =
                try await harness.send("GET", "/api/accounts/\(account)/messages?q=\(query)", headers: Self.bearer(token))
                .json["messages"] as? [[String: Any]] ?? []
            return messages.count >= count
        }
        #expect(messages.count == count, "\(count) message(s) matching \(q)")
        return messages
    }

    /// The messages of a simulated mailbox's folder (by display name) with this subject.
    static func simulated(_ harness: LinkHarness, mailbox: String, folder: String, subject: String) async throws -> [[String: Any]] {
        let state = try await harness.send("GET", "\(harness.simulator)/sim/mailboxes/\(mailbox)/state").json
        let folders = state["folders"] as? [[String: Any]] ?? []
        let folderID = folders.first { $0["displayName"] as? String == folder }?["id"] as? String
        return (state["messages"] as? [[String: Any]] ?? []).filter { $0["folderId"] as? String == folderID && $0["subject"] as? String == subject }
    }

    static func send(_ harness: LinkHarness, _ account: AccountID, token: String, json: String, key: String? = nil) async throws -> LinkHarness.Reply
    {
        try await harness.send(
            "POST",
            "/api/accounts/\(account)/messages/send",
            headers: Self.bearer(token) + (key.map { [("Idempotency-Key", $0)] } ?? []),
            json: json
        )
    }

    @Test func openingReadsTheBodyAndAttachmentsWhichThenDownloadAndAreSearched() async throws {
        try await LinkHarness.run { harness in
            let mailbox = try await harness.createMailbox("ada@outlook.com", messages: 0)
            let (account, token) = try await TokenRefreshTests.link(harness, createMailbox: false)
            let plan = Data("The plan, in full.".utf8).base64EncodedString()
            try await Self.deliver(
                harness,
                to: mailbox,
                json: """
                    {"folder":"inbox","subject":"Expedition notes","contentType":"html",
                     "body":"<p>\(String(repeating: "Lorem ipsum dolor. ", count: 20))Meet at the <b>observatory</b> at dawn</p><img src=\\"https://tracker.example/pixel.png\\">",
                     "cc":[{"name":"Grace","address":"grace@example.com"}],
                     "attachments":[{"name":"plan ü.txt","contentType":"text/plain","contentBytes":"\(plan)"},
                                    {"name":"logo.png","contentType":"image/png","contentBytes":"iVBORw0KGgo=","isInline":true,"contentId":"logo"}]}
                    """
            )
            let id = try #require(try await Self.listed(harness, account, token: token, q: "expedition").first?["id"] as? String)
            #expect(
                try await Self.listed(harness, account, token: token, q: "observatory", count: 0).isEmpty,
                "beyond the preview, a body's words are not searched before it is opened"
            )

            let opened = try await harness.send("GET", "/api/accounts/\(account)/messages/\(id)", headers: Self.bearer(token))
            #expect(opened.status == 200, "\(opened.text)")
            let body = try #require(opened.json["body"] as? [String: Any])
            #expect(body["contentType"] as? String == "html")
            #expect((body["content"] as? String)?.contains("<b>observatory</b>") == true)
            #expect((opened.json["conversationId"] as? String)?.isEmpty == false)
            #expect((opened.json["internetMessageId"] as? String)?.isEmpty == false)
            #expect((opened.json["ccRecipients"] as? [[String: Any]])?.first?["address"] as? String == "grace@example.com")
            #expect((opened.json["bccRecipients"] as? [Any])?.isEmpty == true)
            let attachments = try #require(opened.json["attachments"] as? [[String: Any]])
            let file = try #require(attachments.first { $0["name"] as? String == "plan ü.txt" })
            #expect(file["size"] as? Int == 18 && file["isInline"] as? Bool == false && file["contentType"] as? String == "text/plain")
            #expect(attachments.first { $0["name"] as? String == "logo.png" }?["isInline"] as? Bool == true)

            // Opened once, its words are searched.
            #expect(try await Self.listed(harness, account, token: token, q: "observatory dawn").first?["id"] as? String == id)

            let fileID = try #require(file["id"] as? String)
            let download = try await harness.send(
                "GET",
                "/api/accounts/\(account)/messages/\(id)/attachments/\(fileID.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)",
                headers: Self.bearer(token)
            )
            #expect(download.status == 200)
            #expect(download.text == "The plan, in full.")
            #expect(download.headers["content-type"] == "text/plain")
            #expect(download.headers["content-disposition"]?.hasPrefix("attachment; filename=\"plan _.txt\"") == true)
            #expect(download.headers["content-disposition"]?.contains("filename*=UTF-8''plan%20%C3%BC.txt") == true)
            #expect(download.headers["content-security-policy"]?.contains("sandbox") == true)
            let missing = try await harness.send("GET", "/api/accounts/\(account)/messages/\(id)/attachments/nope", headers: Self.bearer(token))
            #expect(missing.status == 404)

            // The body as the pages' frame loads it: its own policy, nothing remote until asked for.
            let frame = try await harness.send("GET", "/api/accounts/\(account)/messages/\(id)/body", headers: Self.bearer(token))
            #expect(frame.status == 200 && frame.headers["content-type"]?.hasPrefix("text/html") == true)
            let policy = try #require(frame.headers["content-security-policy"])
            #expect(policy.contains("sandbox") && policy.contains("default-src 'none'") && !policy.contains("https:"))
            let remote = try await harness.send("GET", "/api/accounts/\(account)/messages/\(id)/body?remote=1", headers: Self.bearer(token))
            #expect(remote.headers["content-security-policy"]?.contains("img-src data: https: http:") == true)

            // Another account's token, or none, finds nothing.
            try await harness.createMailbox("zoe@outlook.com", messages: 0)
            let (otherID, loginURL, otherToken) = try await harness.createAccount()
            #expect(try await harness.returnFromProvider(try await harness.signIn(loginURL, as: "zoe@outlook.com")).status == 302)
            let other = try #require(AccountID(otherID))
            #expect(try await harness.send("GET", "/api/accounts/\(account)/messages/\(id)", headers: Self.bearer(otherToken)).status == 404)
            #expect(try await harness.send("GET", "/api/accounts/\(other)/messages/\(id)", headers: Self.bearer(otherToken)).status == 404)
            #expect(try await harness.send("GET", "/api/accounts/\(account)/messages/\(id)").status == 401)
        }
    }

    @Test func sentMailReachesTheRecipientAndTheSendersMirrorAndARetrySendsOnce() async throws {
        try await LinkHarness.run { harness in
            let mailbox = try await harness.createMailbox("ada@outlook.com", messages: 0)
            let bob = try await harness.createMailbox("bob@outlook.com", messages: 0)
            let (account, token) = try await TokenRefreshTests.link(harness, createMailbox: false)
            let pdf = Data((0..<2048).map { UInt8($0 % 251) }).base64EncodedString()
            let message = """
                {"to":[{"name":"Bob","address":"bob@outlook.com"}],"bcc":[{"address":"hidden@example.com"}],"subject":"Launch window",
                 "body":{"contentType":"html","content":"<p>We fly on <i>Tuesday</i></p>"},
                 "attachments":[{"name":"window.pdf","contentType":"application/pdf","contentBase64":"\(pdf)"}]}
                """
            let first = try await Self.send(harness, account, token: token, json: message, key: "launch-1")
            #expect(first.status == 202, "\(first.text)")
            let id = try #require(first.json["id"] as? String)
            let again = try await Self.send(harness, account, token: token, json: message, key: "launch-1")
            #expect(again.status == 202 && again.json["id"] as? String == id, "the retry gets the first answer")
            #expect(again.headers["idempotent-replayed"] == "true")
            let changed = try await Self.send(
                harness,
                account,
                token: token,
                json: message.replacingOccurrences(of: "Tuesday", with: "Friday"),
                key: "launch-1"
            )
            #expect(changed.status == 422, "one key, another body")

            let delivered = try await Self.simulated(harness, mailbox: bob, folder: "Inbox", subject: "Launch window")
            #expect(delivered.count == 1, "sent once")
            #expect(delivered.first?["hasAttachments"] as? Bool == true)
            #expect(try await Self.simulated(harness, mailbox: mailbox, folder: "Sent Items", subject: "Launch window").count == 1)

            // The sent copy reaches the sender's mirror through the change flow, in Sent Items, with its Bcc.
            let sent = try #require(try await Self.listed(harness, account, token: token, q: "launch window").first)
            let folders =
                try await harness.send("GET", "/api/accounts/\(account)/mailboxes", headers: Self.bearer(token)).json["mailboxes"] as? [[String: Any]]
            #expect(folders?.first { $0["id"] as? String == sent["mailboxID"] as? String }?["displayName"] as? String == "Sent Items")
            let opened = try await harness.send(
                "GET",
                "/api/accounts/\(account)/messages/\(sent["id"] as? String ?? "")",
                headers: Self.bearer(token)
            )
            #expect((opened.json["bccRecipients"] as? [[String: Any]])?.first?["address"] as? String == "hidden@example.com")
            #expect((opened.json["attachments"] as? [[String: Any]])?.first?["size"] as? Int == 2048)
        }
    }

    @Test func repliesAndForwardsThreadWithTheOriginal() async throws {
        try await LinkHarness.run { harness in
            let mailbox = try await harness.createMailbox("ada@outlook.com", messages: 0)
            let carol = try await harness.createMailbox("carol@outlook.com", messages: 0)
            let dan = try await harness.createMailbox("dan@outlook.com", messages: 0)
            let (account, token) = try await TokenRefreshTests.link(harness, createMailbox: false)
            let notes = Data("field notes".utf8).base64EncodedString()
            try await Self.deliver(
                harness,
                to: mailbox,
                json: """
                    {"folder":"inbox","subject":"Survey results","from":{"name":"Carol","address":"carol@outlook.com"},"body":"Numbers inside",
                     "attachments":[{"name":"notes.txt","contentType":"text/plain","contentBytes":"\(notes)"}]}
                    """
            )
            let original = try #require(try await Self.listed(harness, account, token: token, q: "survey").first)
            let originalID = try #require(original["id"] as? String)

            // A reply without recipients goes to the author, in the original's conversation.
            let reply = try await Self.send(
                harness,
                account,
                token: token,
                json: #"{"subject":"RE: Survey results","body":{"contentType":"text","content":"Thanks, Carol"},"replyTo":"\#(originalID)"}"#
            )
            #expect(reply.status == 202, "\(reply.text)")
            #expect(try await Self.simulated(harness, mailbox: carol, folder: "Inbox", subject: "RE: Survey results").count == 1)

            let forward = try await Self.send(
                harness,
                account,
                token: token,
                json:
                    #"{"to":[{"address":"dan@outlook.com"}],"subject":"FW: Survey results","body":{"contentType":"text","content":"FYI"},"forward":"\#(originalID)"}"#
            )
            #expect(forward.status == 202, "\(forward.text)")
            let forwarded = try await Self.simulated(harness, mailbox: dan, folder: "Inbox", subject: "FW: Survey results")
            #expect(forwarded.first?["hasAttachments"] as? Bool == true, "a forward carries the original's attachments")

            // The conversation, oldest first: the original, then what was sent in it.
            let conversation = try #require(original["conversationId"] as? String)
            var thread: [[String: Any]] = []
            let threaded = try await TestEnvironment.eventually {
                thread =
                    try await harness.send(
                        "GET",
                        "/api/accounts/\(account)/messages?conversation=\(conversation.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)",
                        headers: Self.bearer(token)
                    ).json["messages"] as? [[String: Any]] ?? []
                return thread.count == 3
            }
            #expect(threaded, "the original, the reply and the forward: \(thread.map { $0["subject"] ?? "" })")
            #expect(thread.first?["id"] as? String == originalID, "oldest first")
            let times = thread.compactMap { $0["receivedAt"] as? Int }
            #expect(times == times.sorted())
        }
    }

    @Test func badInputIsRefusedWithItsReasonAndNothingIsSent() async throws {
        try await LinkHarness.run { harness in
            let mailbox = try await harness.createMailbox("ada@outlook.com", messages: 0)
            let bob = try await harness.createMailbox("bob@outlook.com", messages: 0)
            let (account, token) = try await TokenRefreshTests.link(harness, createMailbox: false)
            func refused(_ json: String, _ status: Int, mentioning word: String, key: String? = nil) async throws {
                let reply = try await Self.send(harness, account, token: token, json: json, key: key)
                #expect(reply.status == status, "\(json.prefix(120)): \(reply.text)")
                let message = (reply.json["error"] as? [String: Any])?["message"] as? String ?? ""
                #expect(message.contains(word), "\(message) should mention \(word)")
            }
            let body = #""body":{"contentType":"text","content":"Hi"}"#
            try await refused(#"{"subject":"Nobody",\#(body)}"#, 400, mentioning: "recipient")
            try await refused(#"{"to":[{"address":"bob at outlook"}],\#(body)}"#, 400, mentioning: "to[0].address")
            try await refused(#"{"to":[{"address":"bob@outlook.com\r\nBcc: eve@example.com"}],\#(body)}"#, 400, mentioning: "to[0].address")
            try await refused(#"{"to":[{"address":"bob@outlook.com"}],"subject":"Two\r\nlines",\#(body)}"#, 400, mentioning: "subject")
            try await refused(#"{"to":[{"address":"bob@outlook.com"}],"body":{"contentType":"rtf","content":"x"}}"#, 400, mentioning: "contentType")
            try await refused(
                #"{"to":[{"address":"bob@outlook.com"}],\#(body),"attachments":[{"name":"a.bin","contentBase64":"%%%"}]}"#,
                400,
                mentioning: "contentBase64"
            )
            try await refused(#"{"to":[{"address":"bob@outlook.com"}],\#(body),"replyTo":"x","forward":"y"}"#, 400, mentioning: "replyTo")
            try await refused(#"{"to":[{"address":"bob@outlook.com"}],\#(body),"replyTo":"not-in-the-mirror"}"#, 404, mentioning: "reply")
            try await refused(#"{"to":"#, 400, mentioning: "JSON")
            try await refused(#"{"to":[{"address":"bob@outlook.com"}],\#(body)}"#, 400, mentioning: "Idempotency-Key", key: "bad key")
            let many = (0..<101).map { #"{"address":"r\#($0)@example.com"}"# }.joined(separator: ",")
            try await refused(#"{"to":[\#(many)],\#(body)}"#, 400, mentioning: "100")
            let large = Data(count: 3 * 1024 * 1024 + 1).base64EncodedString()
            try await refused(
                #"{"to":[{"address":"bob@outlook.com"}],\#(body),"attachments":[{"name":"big.bin","contentBase64":"\#(large)"}]}"#,
                413,
                mentioning: "4 MB"
            )
            let state = try await harness.send("GET", "\(harness.simulator)/sim/mailboxes/\(bob)/state").json
            #expect((state["messages"] as? [Any])?.isEmpty == true, "nothing reached the recipient")
            let sender = try await harness.send("GET", "\(harness.simulator)/sim/mailboxes/\(mailbox)/state").json
            #expect((sender["messages"] as? [Any])?.isEmpty == true, "nothing in the sender's Sent Items")
        }
    }

    @Test func sendingBeyondTheAccountsRateIsTurnedAwayWithRetryAfter() async throws {
        try await LinkHarness.run(sendsPerMinute: 2) { harness in
            try await harness.createMailbox("ada@outlook.com", messages: 0)
            let (account, token) = try await TokenRefreshTests.link(harness, createMailbox: false)
            let message = #"{"to":[{"address":"someone@example.com"}],"subject":"Ping","body":{"contentType":"text","content":"."}}"#
            #expect(try await Self.send(harness, account, token: token, json: message).status == 202)
            #expect(try await Self.send(harness, account, token: token, json: message).status == 202)
            let third = try await Self.send(harness, account, token: token, json: message, key: "third")
            #expect(third.status == 429)
            #expect(Int(third.headers["retry-after"] ?? "") ?? 0 >= 1)
            // A key turned away by the limit is not spent: the same request is not answered as "being sent".
            #expect(try await Self.send(harness, account, token: token, json: message, key: "third").status == 429)
        }
    }

    @Test func anAccountLinkedWithoutSendPermissionIsToldToRelink() async throws {
        try await LinkHarness.run { harness in
            let (account, token) = try await TokenRefreshTests.link(harness)
            let node = try TestNode(harness)
            var tokens = try #require(try await node.vault.tokens(for: account))
            tokens.scope = "offline_access User.Read Mail.Read"
            try await node.vault.store(tokens, for: account)
            let reply = try await Self.send(harness, account, token: token, json: #"{"to":[{"address":"bob@outlook.com"}],"subject":"Hi"}"#)
            #expect(reply.status == 403)
            #expect(((reply.json["error"] as? [String: Any])?["message"] as? String)?.contains("relink") == true)
        }
    }
}
