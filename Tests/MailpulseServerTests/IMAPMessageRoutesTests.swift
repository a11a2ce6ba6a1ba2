import Foundation
import TestSupport
import Testing

/// Opening and sending mail from an IMAP account, through the service, against a real Dovecot and a real SMTP server
/// (aiosmtpd) that delivers into Dovecot's mailboxes.
@Suite(
    .enabled(if: TestEnvironment.hasRedis, "needs REDIS_URL (make test provides it)"),
    .enabled(if: SMTPTestServer.isInstalled, "needs Dovecot and aiosmtpd (make test installs them)")
)
struct IMAPMessageRoutesTests {
    static let user = IMAPAccountTests.user
    static let grace = "grace@example.net"

    /// A message from Grace to Ada: HTML with a plain alternative and a file.
    static func report(id: String) -> String {
        let file = Data("quarterly numbers".utf8).base64EncodedString()
        return [
            "From: Grace <\(Self.grace)>", "To: Ada <\(Self.user)>", "Subject: Quarterly report", "Message-ID: <\(id)@example.net>",
            "Date: Wed, 25 Nov 2026 10:00:00 +0000", "MIME-Version: 1.0", "Content-Type: multipart/mixed; boundary=\"outer\"", "",
            "--outer", "Content-Type: multipart/alternative; boundary=\"inner\"", "",
            "--inner", "Content-Type: text/plain; charset=utf-8", "", "The numbers are in.", "",
            "--inner", "Content-Type: text/html; charset=utf-8", "",
            "<p>The <b>numbers</b> are in. Caf=C3=A9 at noon?</p>".replacingOccurrences(of: "=C3=A9", with: "é"), "",
            "--inner--", "",
            "--outer", "Content-Type: text/plain; name=\"numbers.txt\"", "Content-Disposition: attachment; filename=\"numbers.txt\"",
            "Content-Transfer-Encoding: base64", "", file, "", "--outer--", "",
        ].joined(separator: "\r\n")
    }

    /// A user's inbox messages with this subject, as Dovecot has them: each one whole.
    static func delivered(_ server: DovecotTestServer, to user: String, subject: String) async throws -> [String] {
        let output = try await server.doveadm(["fetch", "-u", user, "text", "mailbox", "INBOX", "SUBJECT", subject])
        return output.components(separatedBy: "text:").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    @Test func anIMAPAccountOpensDownloadsSendsRepliesAndForwardsThroughSMTP() async throws {
        try await DovecotTestServer.run { server in
            try await server.doveadm(["save", "-u", Self.user, "-m", "INBOX"], input: Self.report(id: "report-1"))
            try await SMTPTestServer.run(dovecot: server, recipients: [Self.grace, Self.user]) { smtp in
                try await LinkHarness.run(imapTrustedCertificates: smtp.certificateFile) { harness in
                    let linked = try await IMAPAccountTests.link(
                        harness,
                        server,
                        smtp: ["host": "127.0.0.1", "port": smtp.port, "security": "starttls", "username": smtp.username, "password": smtp.password]
                    )
                    #expect(linked.status == 201, "\(linked.text)")
                    let account = try #require(linked.json["id"] as? String)
                    let token = try #require(linked.json["token"] as? String)
                    let auth = [("Authorization", "Bearer \(token)")]
                    #expect(try await harness.waitForStatus(account, token: token, "live") == "live")
                    let report = try #require(try await IMAPAccountTests.subjects(harness, account, token: token)["Quarterly report"])
                    let id = try #require(report["id"] as? String)
                    let escapedID = id.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!

                    // Open: the HTML alternative, the file, and the body's words searched from then on.
                    let opened = try await harness.send("GET", "/api/accounts/\(account)/messages/\(escapedID)", headers: auth)
                    #expect(opened.status == 200, "\(opened.text)")
                    let shown = try #require(opened.json["body"] as? [String: Any])
                    #expect(shown["contentType"] as? String == "html")
                    #expect((shown["content"] as? String)?.contains("<b>numbers</b> are in. Café") == true)
                    let attachments = try #require(opened.json["attachments"] as? [[String: Any]])
                    #expect(attachments.map { $0["name"] as? String } == ["numbers.txt"], "the text alternative is not an attachment")
                    let fileID = try #require(attachments.first?["id"] as? String)
                    let file = try await harness.send("GET", "/api/accounts/\(account)/messages/\(escapedID)/attachments/\(fileID)", headers: auth)
                    #expect(file.status == 200 && file.text == "quarterly numbers")
                    #expect(file.headers["content-disposition"]?.hasPrefix("attachment") == true)

                    // Send: through SMTP into Grace's inbox, and a copy in Ada's Sent folder, which the mirror then shows.
                    let attachment = Data("launch plan".utf8).base64EncodedString()
                    let launch = """
                        {"to":[{"name":"Grace","address":"\(Self.grace)"}],"subject":"Launch plan ✓",
                         "body":{"contentType":"text","content":".A line that starts with a dot\\nand the rest"},
                         "attachments":[{"name":"plan.txt","contentType":"text/plain","contentBase64":"\(attachment)"}]}
                        """
                    let sent = try await harness.send(
                        "POST",
                        "/api/accounts/\(account)/messages/send",
                        headers: auth + [("Idempotency-Key", "imap-launch")],
                        json: launch
                    )
                    #expect(sent.status == 202, "\(sent.text)")
                    let arrived = try await TestEnvironment.eventually {
                        try await Self.delivered(server, to: Self.grace, subject: "Launch plan").count == 1
                    }
                    #expect(arrived, "the message reached Grace's inbox")
                    let inSent = try await TestEnvironment.eventually(timeout: .seconds(60)) {
                        try await IMAPAccountTests.subjects(harness, account, token: token)["Launch plan ✓"] != nil
                    }
                    #expect(inSent, "the sent copy reaches Ada's mirror")
                    let folders =
                        try await harness.send("GET", "/api/accounts/\(account)/mailboxes", headers: auth).json["mailboxes"] as? [[String: Any]]
                    let sentCopy = try await IMAPAccountTests.subjects(harness, account, token: token)["Launch plan ✓"]
                    #expect(
                        folders?.first { $0["id"] as? String == sentCopy?["mailboxID"] as? String }?["wellKnownName"] as? String == "sentitems"
                    )
                    let again = try await harness.send(
                        "POST",
                        "/api/accounts/\(account)/messages/send",
                        headers: auth + [("Idempotency-Key", "imap-launch")],
                        json: launch
                    )
                    #expect(again.status == 202 && again.json["id"] as? String == sent.json["id"] as? String)
                    #expect(try await Self.delivered(server, to: Self.grace, subject: "Launch plan").count == 1, "a retry sends once")

                    // A reply without recipients goes to Grace, threaded; a forward carries the file.
                    let reply = try await harness.send(
                        "POST",
                        "/api/accounts/\(account)/messages/send",
                        headers: auth,
                        json: #"{"subject":"RE: Quarterly report","body":{"contentType":"text","content":"Thanks"},"replyTo":"\#(id)"}"#
                    )
                    #expect(reply.status == 202, "\(reply.text)")
                    var replies: [String] = []
                    _ = try await TestEnvironment.eventually {
                        replies = try await Self.delivered(server, to: Self.grace, subject: "RE: Quarterly report")
                        return !replies.isEmpty
                    }
                    #expect(replies.first?.contains("In-Reply-To: <report-1@example.net>") == true, "\(replies)")
                    let forward = try await harness.send(
                        "POST",
                        "/api/accounts/\(account)/messages/send",
                        headers: auth,
                        json:
                            #"{"to":[{"address":"\#(Self.grace)"}],"subject":"FW: Quarterly report","body":{"contentType":"text","content":"FYI"},"forward":"\#(id)"}"#
                    )
                    #expect(forward.status == 202, "\(forward.text)")
                    let forwarded = try await TestEnvironment.eventually {
                        try await Self.delivered(server, to: Self.grace, subject: "FW: Quarterly report").first?.contains("numbers.txt") == true
                    }
                    #expect(forwarded, "the forward carries the original's file")

                    // A recipient the SMTP server refuses: 400 naming it.
                    let refused = try await harness.send(
                        "POST",
                        "/api/accounts/\(account)/messages/send",
                        headers: auth,
                        json: #"{"to":[{"address":"nobody@example.org"}],"subject":"Hello","body":{"contentType":"text","content":"?"}}"#
                    )
                    #expect(refused.status == 400)
                    #expect(IMAPAccountTests.problem(refused).contains("nobody@example.org"), "\(refused.text)")
                }
            }
        }
    }
}
