import Foundation
import MailpulseCore
import MailpulseServer
import TestSupport
import Testing

/// IMAP accounts through the service against a real Dovecot: linked with a password (or refused with a reason and
/// nothing stored), synced, and kept live by the watcher (NOTIFY on Dovecot, IDLE on a server announcing what Gmail
/// announces), with no sync schedule to fall back on.
@Suite(.enabled(if: DovecotTestServer.isInstalled, "needs Debian's dovecot-imapd (make test installs it)"))
struct IMAPAccountTests {
    static let user = "ada@example.com"

    /// Links the Dovecot user through `POST /api/accounts` (at `port`, by default the server's own).
    static func link(
        _ harness: LinkHarness,
        _ server: DovecotTestServer,
        port: Int? = nil,
        password: String = "secret",
        smtp: [String: Any]? = nil
    ) async throws -> LinkHarness.Reply {
        var imap: [String: Any] = ["host": "127.0.0.1", "port": port ?? server.port, "security": "none", "username": Self.user, "password": password]
        imap["smtp"] = smtp
        let body: [String: Any] = ["provider": "imap", "imap": imap]
        let json = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
        return try await harness.send("POST", "/api/accounts", json: json)
    }

    /// The message of an error reply.
    static func problem(_ reply: LinkHarness.Reply) -> String {
        (reply.json["error"] as? [String: Any])?["message"] as? String ?? ""
    }

    static func subjects(_ harness: LinkHarness, _ account: String, token: String) async throws -> [String: [String: Any]] {
        let messages = try await MirrorTests.all(harness, "/api/accounts/\(account)/messages?limit=100", token: token)
        return Dictionary(messages.map { ($0["subject"] as? String ?? "", $0) }) { first, _ in first }
    }

    @Test func aWrongPasswordAMissingServerOrPlainTextAbroadIsRefusedWithItsReasonAndNothingStored() async throws {
        try await DovecotTestServer.run { server in
            try await LinkHarness.run { harness in
                let wrong = try await Self.link(harness, server, password: "wrong")
                #expect(wrong.status == 400)
                #expect(Self.problem(wrong).contains("refused the user name or password"), "\(wrong.text)")

                let closedPort = try TestEnvironment.freePort()
                let unreachable = try await harness.send(
                    "POST",
                    "/api/accounts",
                    json: #"{"provider":"imap","imap":{"host":"127.0.0.1","port":\#(closedPort),"security":"none","username":"a","password":"b"}}"#
                )
                #expect(unreachable.status == 400)
                #expect(Self.problem(unreachable).contains("could not be reached"), "\(unreachable.text)")

                let abroad = try await harness.send(
                    "POST",
                    "/api/accounts",
                    json: #"{"provider":"imap","imap":{"host":"imap.example.com","security":"none","username":"a","password":"b"}}"#
                )
                #expect(abroad.status == 400)
                #expect(Self.problem(abroad).contains("plain text"), "\(abroad.text)")

                for body in [
                    #"{"provider":"imap"}"#, #"{"provider":"imap","imap":{"host":"127.0.0.1","username":"a"}}"#,
                    #"{"provider":"imap","imap":{"host":"127.0.0.1","port":70000,"username":"a","password":"b"}}"#,
                    #"{"provider":"imap","imap":{"host":"bad host/","username":"a","password":"b"}}"#,
                    #"{"provider":"imap","imap":{"host":"127.0.0.1","security":"ssl","username":"a","password":"b"}}"#,
                ] {
                    let reply = try await harness.send("POST", "/api/accounts", json: body)
                    #expect(reply.status == 400 && !Self.problem(reply).isEmpty, "\(body): \(reply.status) \(reply.text)")
                }
                var accounts = 0
                try await TestNode(harness).store.forEachAccount { _ in accounts += 1 }
                #expect(accounts == 0)
            }
        }
    }

    @Test(arguments: [nil, DovecotTestServer.gmailCapabilities])
    func anAccountLinksSyncsAndFollowsChangesAsTheyHappen(capabilities: [String]?) async throws {
        try await DovecotTestServer.run(capabilities: capabilities) { server in
            for number in 1...3 {
                try await server.doveadm(
                    ["save", "-u", Self.user, "-m", "INBOX"],
                    input: IMAPMirror.message("Note \(number)", id: "n\(number)", to: Self.user)
                )
            }
            try await server.doveadm(["save", "-u", Self.user, "-m", "Sent"], input: IMAPMirror.message("Sent note", id: "s1", to: Self.user))
            try await LinkHarness.run { harness in
                let linked = try await Self.link(harness, server)
                #expect(linked.status == 201, "\(linked.text)")
                let account = try #require(linked.json["id"] as? String)
                let token = try #require(linked.json["token"] as? String)
                #expect(linked.json["status"] as? String == "linked")
                #expect(try await harness.waitForStatus(account, token: token, "live") == "live")
                let synced = try await Self.subjects(harness, account, token: token)
                #expect(Set(synced.keys) == ["Note 1", "Note 2", "Note 3", "Sent note"])
                let details = try await harness.account(account, token: token).json
                #expect(details["provider"] as? String == "imap")
                #expect((details["identity"] as? [String: Any])?["address"] as? String == Self.user)

                // Live: no schedule runs in this harness, so only the watcher can bring these.
                try await server.doveadm(
                    ["save", "-u", Self.user, "-m", "INBOX"],
                    input: IMAPMirror.message("Arrived later", id: "late", to: Self.user)
                )
                try await server.doveadm(["flags", "add", "-u", Self.user, "\\Seen", "mailbox", "INBOX", "HEADER", "Message-ID", "n1"])
                try await server.doveadm(["expunge", "-u", Self.user, "mailbox", "INBOX", "HEADER", "Message-ID", "n2"])
                let converged = try await TestEnvironment.eventually(timeout: .seconds(60)) {
                    let now = try await Self.subjects(harness, account, token: token)
                    return Set(now.keys) == ["Note 1", "Note 3", "Sent note", "Arrived later"] && now["Note 1"]?["isRead"] as? Bool == true
                }
                let final = try await Self.subjects(harness, account, token: token).mapValues { $0["isRead"] as? Bool ?? false }
                #expect(converged, "\(final)")
            }
        }
    }

    @Test func aChangedPasswordAsksForTheCurrentOneAndTheAccountGoesOnWithItsMail() async throws {
        try await DovecotTestServer.run { server in
            try await IMAPMirror.deliver(server, user: Self.user, prefix: "Before", count: 2)
            try await LinkHarness.run { harness in
                let (account, token) = try await IMAPConvergenceTests.linkLive(harness, server)
                let auth = [("Authorization", "Bearer \(token)")]
                await server.stop()
                try server.setPassword("changed-elsewhere")
                try await server.start()
                // The watcher reconnects with the old password and is refused.
                #expect(
                    try await harness.waitForStatus(account.description, token: token, "reauth_required", timeout: .seconds(60)) == "reauth_required"
                )

                let wrong = try await harness.send("POST", "/api/accounts/\(account)/relink", headers: auth, json: #"{"imap":{"password":"guess"}}"#)
                #expect(wrong.status == 400 && Self.problem(wrong).contains("refused"), "\(wrong.text)")
                #expect(try await harness.account(account.description, token: token).json["status"] as? String == "reauth_required")

                try await IMAPMirror.deliver(server, user: Self.user, prefix: "While refused", count: 1)
                let relinked = try await harness.send(
                    "POST",
                    "/api/accounts/\(account)/relink",
                    headers: auth,
                    json: #"{"imap":{"password":"changed-elsewhere"}}"#
                )
                #expect(relinked.status == 200 && relinked.json["status"] as? String == "linked", "\(relinked.status) \(relinked.text)")
                #expect(try await harness.waitForStatus(account.description, token: token, "live") == "live")
                try await IMAPConvergenceTests.expectConverged(server, TestNode(harness).store, account)

                // Passwords, the right one and the wrong one, are in no SQLite file and no log line.
                let folder = URL(fileURLWithPath: harness.configuration.sqlitePath).deletingLastPathComponent()
                for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasPrefix("mail.sqlite") {
                    let bytes = try Data(contentsOf: folder.appendingPathComponent(file))
                    #expect(bytes.range(of: Data("changed-elsewhere".utf8)) == nil && bytes.range(of: Data("guess".utf8)) == nil, "\(file)")
                }
                for line in harness.logs.all {
                    #expect(!line.contains("changed-elsewhere") && !line.contains("guess"), "\(line)")
                }
            }
        }
    }
}
