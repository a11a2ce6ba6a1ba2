import Foundation
import TestSupport
import Testing

@testable import IMAP

extension IMAPConnectionTests {
    /// APPEND and whole-message fetches against a real Dovecot: the UID the server gives back, the flags and date kept,
    /// the bytes fetched the bytes appended, and a message over the caller's limit refused before it is fetched.
    struct Append {
        static let message = Array(
            "From: ada@example.com\r\nTo: grace@example.net\r\nSubject: Sent copy\r\nMessage-ID: <sent-1@example.com>\r\n\r\nÜber die Maschine.\r\n"
                .utf8
        )

        @Test(arguments: [nil, DovecotTestServer.plainCapabilities, ["IMAP4rev1", "UIDPLUS"]])
        func anAppendedMessageComesBackWholeWithItsUID(capabilities: [String]?) async throws {
            try await DovecotTestServer.run(capabilities: capabilities) { server in
                let connection = try await IMAPConnection.connect(host: "127.0.0.1", port: server.port)
                defer { connection.close() }
                try await connection.login(username: "ada", password: "secret")
                let date = Date(timeIntervalSince1970: 1_795_600_800)
                let appended = try #require(try await connection.append(Self.message, to: "Sent", flags: ["\\Seen"], date: date))
                let second = try #require(try await connection.append(Self.message + Array("P.S.\r\n".utf8), to: "Sent"))
                #expect(second.uidValidity == appended.uidValidity && second.uid > appended.uid)

                let selected = try await connection.select("Sent")
                #expect(selected.uidValidity == appended.uidValidity && selected.exists == 2)
                let attributes = try await connection.fetch(UIDSet([appended.uid...appended.uid]), items: ["UID", "FLAGS", "INTERNALDATE"])
                // \Recent is the session's own: it selected the mailbox first.
                #expect(attributes.first?.flags?.filter { $0 != "\\Recent" } == ["\\Seen"])
                #expect(attributes.first?.internalDate == "25-Nov-2026 10:00:00 +0000")
                #expect(try await connection.fetchMessage(uid: appended.uid, maximumSize: 4096) == Self.message)
                // BODY.PEEK: fetching did not mark the second one seen.
                _ = try await connection.fetchMessage(uid: second.uid, maximumSize: 4096)
                let flags = try await connection.fetch(UIDSet([second.uid...second.uid]), items: ["FLAGS"]).first?.flags
                #expect(flags?.filter { $0 != "\\Recent" } == [])
            }
        }

        @Test func aMessageOverTheLimitOrMissingIsRefused() async throws {
            try await DovecotTestServer.run { server in
                let connection = try await IMAPConnection.connect(host: "127.0.0.1", port: server.port)
                defer { connection.close() }
                try await connection.login(username: "ada", password: "secret")
                let appended = try #require(try await connection.append(Self.message, to: "INBOX"))
                _ = try await connection.select("INBOX")
                await #expect(throws: IMAPError.tooLarge(size: Self.message.count, limit: 10)) {
                    try await connection.fetchMessage(uid: appended.uid, maximumSize: 10)
                }
                await #expect(throws: IMAPError.messageNotFound(uid: appended.uid + 1)) {
                    try await connection.fetchMessage(uid: appended.uid + 1, maximumSize: 4096)
                }
                await #expect(throws: IMAPError.self) { try await connection.append(Self.message, to: "No such folder") }
                await #expect(throws: IMAPError.invalidArgument("\"\\Seen)\" is not a flag")) {
                    try await connection.append(Self.message, to: "INBOX", flags: ["\\Seen)"])
                }
            }
        }
    }
}
