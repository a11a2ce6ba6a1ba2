import Foundation
import MIME
import TestSupport
import Testing

@testable import IMAP

/// The connection against a real Dovecot: greeting, login, capabilities, folders, a QRESYNC select, fetching what
/// `doveadm` delivered, refusals and timeouts; TLS and literals in the nested suites. One server at a time: the tests
/// wait for the server within short timeouts, and servers starting and stopping side by side would take the cores.
@Suite(.serialized, .enabled(if: DovecotTestServer.isInstalled, "needs Debian's dovecot-imapd (make test installs it)"))
struct IMAPConnectionTests {
    static let message = """
        From: =?UTF-8?Q?Ada_Lovelace?= <ada@example.com>\r
        To: grace@example.net\r
        Subject: =?UTF-8?B?Tm90ZXMgb24gdGhlIEFuYWx5dGljYWwgRW5naW5l?=\r
        Message-ID: <note-1@example.com>\r
        Date: Wed, 25 Nov 2026 10:00:00 +0000\r
        \r
        The engine weaves algebraic patterns.\r

        """

    @Test func aSessionLogsInListsSelectsAndFetchesWhatArrived() async throws {
        try await DovecotTestServer.run { server in
            try await server.doveadm(["save", "-u", "ada", "-m", "INBOX"], input: Self.message)
            let connection = try await IMAPConnection.connect(host: "127.0.0.1", port: server.port)
            defer { connection.close() }
            #expect(connection.greeting.kind == .ok)
            try await connection.login(username: "ada", password: "secret")
            let capabilities = try await connection.execute("CAPABILITY").untagged.compactMap { response -> [String]? in
                if case .capability(let names) = response { return names }
                return nil
            }.flatMap(\.self)
            for needed in ["IDLE", "CONDSTORE", "QRESYNC", "SPECIAL-USE", "NOTIFY", "PREVIEW"] {
                #expect(capabilities.contains(needed), "\(needed)")
            }
            try await connection.execute("ENABLE QRESYNC")
            let folders = try await connection.execute("LIST \"\" \"*\" RETURN (SPECIAL-USE)").untagged.compactMap {
                response -> IMAPMailboxListing? in
                if case .list(let listing) = response { return listing }
                return nil
            }
            #expect(Set(folders.map(\.name)) == ["INBOX", "Sent", "Trash"])
            #expect(folders.first { $0.name == "Trash" }?.attributes.contains("\\Trash") == true)

            let selected = try await connection.execute("SELECT INBOX (CONDSTORE)")
            #expect(selected.untagged.contains(.exists(1)))
            #expect(selected.untagged.contains { if case .status(let status) = $0, case .uidValidity? = status.code { true } else { false } })
            let fetched = try await connection.execute("UID FETCH 1:* (UID FLAGS MODSEQ INTERNALDATE RFC822.SIZE ENVELOPE PREVIEW)")
            guard case .fetch(1, let attributes)? = fetched.untagged.first else {
                Issue.record("\(fetched)")
                return
            }
            #expect(attributes.uid == 1 && attributes.flags?.contains("\\Seen") == false && (attributes.modSequence ?? 0) > 0)
            #expect(EncodedWords.decode(attributes.envelope?.subject ?? "") == "Notes on the Analytical Engine")
            #expect(attributes.envelope?.from.first?.address == "ada@example.com")
            #expect(attributes.envelope?.messageID == "<note-1@example.com>")
            #expect(attributes.preview?.hasPrefix("The engine weaves") == true)
            let logout = try await connection.execute("LOGOUT")
            #expect(logout.untagged.contains { if case .status(let status) = $0 { status.kind == .bye } else { false } })
        }
    }

    @Test func aWrongPasswordIsRefusedByTheServer() async throws {
        try await DovecotTestServer.run { server in
            let connection = try await IMAPConnection.connect(host: "127.0.0.1", port: server.port)
            defer { connection.close() }
            // The static passdb takes one password; a line break cannot smuggle a second command in.
            await #expect(throws: IMAPError.self) { try await connection.login(username: "ada", password: "wrong") }
            await #expect(throws: IMAPError.self) { try await connection.login(username: "ada", password: "secret\r\nM9 LOGOUT") }
        }
    }

    @Test func aClosedPortIsUnreachable() async throws {
        let port = try TestEnvironment.freePort()
        await #expect(throws: IMAPError.self) { _ = try await IMAPConnection.connect(host: "127.0.0.1", port: port, timeout: .seconds(5)) }
    }

    @Test func aServerThatStopsAnsweringTimesOut() async throws {
        try await DovecotTestServer.run { server in
            let connection = try await IMAPConnection.connect(host: "127.0.0.1", port: server.port, timeout: .seconds(1))
            defer { connection.close() }
            try await connection.execute("LOGIN ada secret")
            try await connection.execute("SELECT INBOX")
            // IDLE answers `+ idling` and then nothing until something changes: the next read waits in vain.
            try await connection.write("M99 IDLE\r\n")
            #expect(try await connection.response() == .continuation("idling"))
            await #expect(throws: IMAPError.timedOut) { _ = try await connection.response() }
        }
    }

    @Test func idleHearsOfNewMailAndEndsWithDone() async throws {
        try await DovecotTestServer.run { server in
            let connection = try await IMAPConnection.connect(host: "127.0.0.1", port: server.port)
            defer { connection.close() }
            try await connection.login(username: "ada", password: "secret")
            try await connection.execute("SELECT INBOX")
            #expect(try await connection.idle(for: .milliseconds(300)).isEmpty, "nothing changed: the IDLE ends by itself")
            // Mail delivered by another session since the last command is told as soon as the IDLE starts.
            try await server.doveadm(["save", "-u", "ada", "-m", "INBOX"], input: Self.message)
            let heard = try await connection.idle(for: .seconds(20))
            #expect(heard.contains(.exists(1)), "\(heard)")
            // The connection is usable after DONE.
            #expect(try await connection.execute("NOOP").status.kind == .ok)
        }
    }

    @Test func quotingRefusesWhatCannotBeQuoted() throws {
        #expect(throws: IMAPError.self) { try IMAPConnection.quoted("a\r\nb") }
        #expect(throws: IMAPError.self) { try IMAPConnection.quoted("pässword") }
    }

    @Test func selectFetchChangedSinceAndAQResyncSelectSayWhatChanged() async throws {
        try await DovecotTestServer.run { server in
            for _ in 0..<3 { try await server.doveadm(["save", "-u", "ada", "-m", "INBOX"], input: Self.message) }
            try await server.doveadm(["mailbox", "create", "-u", "ada", "Entwürfe"])
            let connection = try await IMAPConnection.connect(host: "127.0.0.1", port: server.port)
            defer { connection.close() }
            try await connection.login(username: "ada", password: "secret")
            // Without QRESYNC, Dovecot reports a flag changed out of band in a FETCH without UID and then answers the
            // UID FETCH of that message with nothing more: QRESYNC makes every FETCH carry its UID (RFC 7162 §3.2.4).
            try await connection.execute("ENABLE QRESYNC")
            #expect(try await connection.mailboxes().compactMap { ModifiedUTF7.decode($0.name) }.contains("Entwürfe"))
            #expect(try await connection.select("Entwürfe").exists == 0)

            let inbox = try await connection.select("INBOX")
            let modSequence = try #require(inbox.highestModSequence)
            #expect(inbox.exists == 3 && inbox.uidNext == 4)
            let all = try await connection.fetch(UIDSet([1...UInt32.max]), items: ["UID", "FLAGS", "MODSEQ"])
            #expect(all.compactMap(\.uid) == [1, 2, 3])

            try await server.doveadm(["flags", "add", "-u", "ada", "\\Seen", "mailbox", "INBOX", "uid", "2"])
            try await server.doveadm(["expunge", "-u", "ada", "mailbox", "INBOX", "uid", "1"])
            let changed = try await connection.fetch(UIDSet([1...UInt32.max]), items: ["UID", "FLAGS"], changedSince: modSequence)
            #expect(changed.map(\.uid) == [2] && changed.first?.flags?.contains("\\Seen") == true, "\(changed)")

            // A new session resumes from what the last one knew: QRESYNC names what vanished and what changed.
            let resumed = try await IMAPConnection.connect(host: "127.0.0.1", port: server.port)
            defer { resumed.close() }
            try await resumed.login(username: "ada", password: "secret")
            try await resumed.execute("ENABLE QRESYNC")
            let since = try await resumed.select("INBOX", known: (inbox.uidValidity, modSequence))
            #expect(since.uidValidity == inbox.uidValidity && since.exists == 2)
            #expect(since.vanished.contains { $0.contains(1) }, "\(since.vanished)")
            #expect(since.changed.map(\.uid) == [2])
        }
    }
}
