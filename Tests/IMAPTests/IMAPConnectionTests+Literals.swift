import Foundation
import TestSupport
import Testing

@testable import IMAP

extension IMAPConnectionTests {
    /// A real Dovecot reading literals: a UTF-8 user name in LOGIN, a mailbox name in SELECT, synchronizing and not.
    struct Literals {
        @Test
        func dovecotReadsAUTF8UserNameInLoginAsALiteralOfEitherKind() async throws {
            // Without SASL-IR the client signs in with LOGIN, where a UTF-8 user name cannot be quoted; without LITERAL+
            // its literal synchronizes.
            try await DovecotTestServer.run(capabilities: ["IMAP4rev1"]) { server in
                try await server.doveadm(["mailbox", "create", "-u", "zoë", "Zoës Ordner"])

                let connection = try await IMAPConnection.connect(host: "127.0.0.1", port: server.port)
                defer { connection.close() }
                let capabilities = try await connection.capabilities()
                #expect(!capabilities.contains("SASL-IR") && !capabilities.contains("LITERAL+"), "\(capabilities)")
                try await connection.login(username: "zoë", password: "secret")
                #expect(try await connection.mailboxes().compactMap { ModifiedUTF7.decode($0.name) }.contains("Zoës Ordner"))

                let nonSynchronizing = try await IMAPConnection.connect(host: "127.0.0.1", port: server.port)
                defer { nonSynchronizing.close() }
                let login = try IMAPConnection.loginCommand(username: "zoë", password: "secret")
                try await nonSynchronizing.execute(login, literals: .nonSynchronizing(maximumLength: nil))
                #expect(try await nonSynchronizing.mailboxes().compactMap { ModifiedUTF7.decode($0.name) }.contains("Zoës Ordner"))
            }
        }

        @Test
        func dovecotSelectsAMailboxNamedByALiteral() async throws {
            try await DovecotTestServer.run { server in
                try await server.doveadm(["mailbox", "create", "-u", "ada", "Entwürfe"])
                let connection = try await IMAPConnection.connect(host: "127.0.0.1", port: server.port)
                defer { connection.close() }
                try await connection.login(username: "ada", password: "secret")
                for form in [IMAPCommand.LiteralForm.synchronizing, .nonSynchronizing(maximumLength: nil)] {
                    var select = IMAPCommand("SELECT ")
                    select.append(literal: Array(ModifiedUTF7.encode("Entwürfe").utf8))
                    let selected = try await connection.execute(select, literals: form)
                    #expect(selected.status.kind == .ok && selected.untagged.contains(.exists(0)), "\(form)")
                }
                // The mailbox name goes as the server reads it, whatever the quoting needs.
                try await server.doveadm(["mailbox", "create", "-u", "ada", "Say \"hi\" \\ back"])
                #expect(try await connection.select("Say \"hi\" \\ back").exists == 0)
            }
        }
    }
}
