import Foundation
import IMAP
import MIME
import SMTP
import TestSupport
import Testing

/// Sending against a real submission server (aiosmtpd, `scripts/smtp/smtp-server.py`) that delivers into a real
/// Dovecot: STARTTLS and TLS from the first byte, sign-in refused, a recipient refused, a certificate not trusted, a
/// message too large; what arrives is read back over IMAP. One pair of servers at a time: they share two cores.
@Suite(.serialized, .enabled(if: SMTPTestServer.isInstalled, "needs Dovecot and Python's aiosmtpd (make test installs them)"))
struct SMTPConnectionTests {
    static let recipient = "grace@example.net"

    /// A message with what SMTP must carry intact: UTF-8 in the subject and body, a line starting with a dot, a file.
    static func message(subject: String = "Grüße — the engine ✓") -> ComposedMessage {
        ComposedMessage(
            from: MIMEAddress(name: "Ada Lovelace", address: "sender@example.com"),
            to: [MIMEAddress(name: "Grace Hopper", address: Self.recipient)],
            subject: subject,
            body: .text("Hallo Grace,\n.a line that starts with a dot\n..and two\n.\nÄrger? Nein — 日本語.\n"),
            attachments: [ComposedAttachment(fileName: "Noten.bin", contentType: "application/octet-stream", bytes: Array(0...255))]
        )
    }

    /// Connects with `security` trusting the server's certificate, signs in, and sends `message`.
    static func send(_ message: ComposedMessage, to server: SMTPTestServer, security: MailSecurity, password: String? = nil) async throws {
        let connection = try await SMTPConnection.connect(
            host: "127.0.0.1",
            port: server.port,
            security: security,
            trustRoots: .certificates(pemFile: server.certificateFile),
            timeout: .seconds(30)
        )
        defer { connection.close() }
        try await connection.authenticate(username: server.username, password: password ?? server.password)
        try await connection.send(message)
        await connection.quit()
    }

    /// The message in the recipient's INBOX, read over IMAP once it is there.
    static func delivered(to user: String, in dovecot: DovecotTestServer) async throws -> MIMEMessage {
        let connection = try await IMAPConnection.connect(host: "127.0.0.1", port: dovecot.port)
        defer { connection.close() }
        try await connection.login(username: user, password: dovecot.password)
        let selected = try await connection.select("INBOX")
        try #require(selected.exists == 1)
        let uids = try await connection.allUIDs(exists: selected.exists)
        return try MIMEMessage(try await connection.fetchMessage(uid: try #require(uids.first), maximumSize: 1 << 20))
    }

    /// What must survive the trip.
    static func expectIntact(_ received: MIMEMessage, _ sent: ComposedMessage) {
        #expect(received.subject == sent.subject)
        #expect(received.messageID == sent.messageID)
        #expect(received.to == sent.to)
        guard case .text(let text) = sent.body else { return }
        #expect(received.body?.content == text.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(received.attachments.first.flatMap { received.attachmentData(id: $0.id) } == Array(0...255))
    }

    @Test func starttlsWithAuthPlainDeliversIntact() async throws {
        try await DovecotTestServer.run { dovecot in
            try await SMTPTestServer.run(dovecot: dovecot, recipients: [Self.recipient]) { server in
                let plain = try await SMTPConnection.connect(host: "127.0.0.1", port: server.port, security: .none)
                #expect(plain.extensions.contains("STARTTLS") && plain.extensions.authenticationMechanisms.isEmpty, "AUTH only under TLS")
                await plain.quit()

                let sent = Self.message()
                try await Self.send(sent, to: server, security: .starttls)
                Self.expectIntact(try await Self.delivered(to: Self.recipient, in: dovecot), sent)
                let recorded = try server.recordedMessages()
                #expect(recorded.count == 1)
                #expect(
                    String(decoding: recorded.first ?? [], as: UTF8.self).contains("\r\n.a line that starts with a dot"),
                    "unstuffed by the server"
                )
            }
        }
    }

    @Test func implicitTLSDeliversIntact() async throws {
        try await DovecotTestServer.run { dovecot in
            try await SMTPTestServer.run(dovecot: dovecot, implicitTLS: true, recipients: [Self.recipient]) { server in
                let sent = Self.message(subject: "Über TLS vom ersten Byte an")
                try await Self.send(sent, to: server, security: .tls)
                Self.expectIntact(try await Self.delivered(to: Self.recipient, in: dovecot), sent)
            }
        }
    }

    @Test func aWrongPasswordIsAnAuthenticationFailure() async throws {
        try await DovecotTestServer.run { dovecot in
            try await SMTPTestServer.run(dovecot: dovecot, recipients: [Self.recipient]) { server in
                do {
                    try await Self.send(Self.message(), to: server, security: .starttls, password: "wrong")
                    Issue.record("a wrong password was accepted")
                } catch SMTPError.authenticationFailed(let reply) {
                    #expect(reply.code == 535, "\(reply)")
                }
                #expect(try server.recordedMessages().isEmpty)
            }
        }
    }

    @Test func anUnknownRecipientIsRefusedByName() async throws {
        try await DovecotTestServer.run { dovecot in
            try await SMTPTestServer.run(dovecot: dovecot, recipients: [Self.recipient]) { server in
                let connection = try await SMTPConnection.connect(
                    host: "127.0.0.1",
                    port: server.port,
                    trustRoots: .certificates(pemFile: server.certificateFile)
                )
                defer { connection.close() }
                try await connection.authenticate(username: server.username, password: server.password)
                var message = Self.message()
                message.cc = [MIMEAddress(address: "nobody@example.net")]
                do {
                    try await connection.send(message)
                    Issue.record("an unknown recipient was accepted")
                } catch SMTPError.recipientsRefused(let refusals) {
                    #expect(refusals.map(\.recipient) == ["nobody@example.net"])
                    #expect(refusals.first?.reply.code == 550 && refusals.first?.reply.text.contains("no such user") == true, "\(refusals)")
                }
                // The connection stays usable: the same message without the stranger goes.
                message.cc = []
                try await connection.send(message)
                #expect(try server.recordedMessages().count == 1)
            }
        }
    }

    @Test(arguments: [MailSecurity.starttls, .tls])
    func anUntrustedCertificateIsATLSFailure(security: MailSecurity) async throws {
        try await DovecotTestServer.run { dovecot in
            try await SMTPTestServer.run(dovecot: dovecot, implicitTLS: security == .tls, recipients: [Self.recipient]) { server in
                do {
                    _ = try await SMTPConnection.connect(
                        host: "127.0.0.1",
                        port: server.port,
                        security: security,
                        trustRoots: .system,
                        timeout: .seconds(10)
                    )
                    Issue.record("a self-signed certificate was trusted")
                } catch SMTPError.tlsFailed(let reason) {
                    #expect(reason.contains("the certificate of 127.0.0.1 is not trusted"), "\(reason)")
                }
            }
        }
    }

    @Test func aMessageLargerThanTheServersSizeIsRefusedBeforeSending() async throws {
        try await DovecotTestServer.run { dovecot in
            try await SMTPTestServer.run(dovecot: dovecot, recipients: [Self.recipient], sizeLimit: 400) { server in
                let connection = try await SMTPConnection.connect(
                    host: "127.0.0.1",
                    port: server.port,
                    trustRoots: .certificates(pemFile: server.certificateFile)
                )
                defer { connection.close() }
                try await connection.authenticate(username: server.username, password: server.password)
                #expect(connection.extensions.maximumSize == 400)
                do {
                    try await connection.send(Self.message())
                    Issue.record("a message over SIZE was sent")
                } catch SMTPError.messageTooLarge(let size, let limit, let reply) {
                    #expect(size > 400 && limit == 400 && reply == nil)
                }
            }
        }
    }

    @Test func starttlsAgainstAServerSpeakingTLSFailsSoon() async throws {
        try await DovecotTestServer.run { dovecot in
            try await SMTPTestServer.run(dovecot: dovecot, implicitTLS: true, recipients: [Self.recipient]) { server in
                // The client waits for a plain-text greeting the TLS server never sends: the timeout says so.
                await #expect(throws: SMTPError.timedOut) {
                    _ = try await SMTPConnection.connect(host: "127.0.0.1", port: server.port, security: .starttls, timeout: .seconds(2))
                }
            }
        }
    }
}
