import Foundation
import IMAP
import MailpulseCore
import TestSupport
import Testing

@testable import IMAPProvider

/// The adapter against a real Dovecot: signing in, folders, the initial sync in pages newest first, delta rounds
/// after flags, expunges, appends and a UIDVALIDITY reset, on a server with QRESYNC and on one that announces what
/// Gmail announces (CONDSTORE without QRESYNC or NOTIFY).
@Suite(.enabled(if: DovecotTestServer.isInstalled, "needs Debian's dovecot-imapd (make test installs it)"))
struct IMAPMailProviderTests {
    let account = AccountID.random()

    static func message(_ number: Int, subject: String? = nil) -> String {
        """
        From: =?UTF-8?Q?Ada_Lovelace?= <ada@example.com>\r
        To: Grace <grace@example.net>\r
        Subject: \(subject ?? "Note \(number)")\r
        Message-ID: <note-\(number)@example.com>\r
        Date: Wed, 25 Nov 2026 10:00:\(String(format: "%02d", number % 60)) +0000\r
        \r
        Body of note \(number).\r

        """
    }

    static func credentials(_ server: DovecotTestServer, password: String = "secret") -> ServerCredentials {
        ServerCredentials(host: "127.0.0.1", port: server.port, security: .none, username: "ada@example.com", password: password)
    }

    /// Every page of a folder from `link` (the start when nil): the messages in order, and the cursor at the end.
    static func round(
        _ provider: IMAPMailProvider,
        _ account: AccountID,
        folder: String,
        from link: String?,
        token: String
    ) async throws
        -> (pages: [MessageChanges], cursor: String)
    {
        var pages: [MessageChanges] = []
        var link = link
        while true {
            let page = try await provider.messageChanges(of: account, mailbox: folder, link: link, accessToken: token)
            pages.append(page)
            if let next = page.nextLink {
                link = next
                continue
            }
            return (pages, try #require(page.cursor))
        }
    }

    @Test func signingInChecksThePasswordAndSealsTheCredentials() async throws {
        try await DovecotTestServer.run { server in
            let provider = IMAPMailProvider()
            let (tokens, identity) = try await provider.signIn(Self.credentials(server), kind: .imap)
            #expect(identity.address == "ada@example.com")
            #expect(provider.credentials(in: tokens) == Self.credentials(server))
            #expect(!tokens.description.contains("secret"))
            await #expect {
                try await provider.signIn(Self.credentials(server, password: "wrong"), kind: .imap)
            } throws: { error in
                if case .credentialsRefused? = error as? SignInFailure { true } else { false }
            }
        }
    }

    @Test func overTLSTheCertificateIsVerifiedAndAnUntrustedOneIsRefusedWithItsReason() async throws {
        try await DovecotTestServer.run(tls: true) { server in
            let certificate = try #require(server.certificateFile)
            for (security, port) in [(ConnectionSecurity.tls, try #require(server.tlsPort)), (.starttls, server.port)] {
                let credentials = ServerCredentials(
                    host: "127.0.0.1",
                    port: port,
                    security: security,
                    username: "ada@example.com",
                    password: "secret"
                )
                let trusting = IMAPMailProvider(configuration: IMAPProviderConfiguration(trustedCertificates: certificate))
                let (tokens, _) = try await trusting.signIn(credentials, kind: .imap)
                #expect(try await trusting.mailboxes(of: self.account, accessToken: tokens.accessToken).contains { $0.wellKnownName == "inbox" })
                do {
                    _ = try await IMAPMailProvider().signIn(credentials, kind: .imap)
                    Issue.record("a self-signed certificate was trusted by the system's roots (\(security))")
                } catch let failure as SignInFailure {
                    guard case .insecure(let reason) = failure else { throw failure }
                    #expect(reason.contains("not trusted"), "\(reason)")
                }
            }
        }
    }

    @Test func signingInSaysWhenNoServerAnswersOrPlainTextWouldLeaveTheMachine() async throws {
        let provider = IMAPMailProvider(configuration: IMAPProviderConfiguration(timeout: .seconds(5)))
        let closed = ServerCredentials(host: "127.0.0.1", port: try TestEnvironment.freePort(), security: .none, username: "a", password: "b")
        do {
            _ = try await provider.signIn(closed, kind: .imap)
            Issue.record("signed in to a closed port")
        } catch let failure as SignInFailure {
            guard case .unreachable = failure else { throw failure }
        }
        let remote = ServerCredentials(host: "imap.example.com", port: 143, security: .none, username: "a", password: "b")
        do {
            _ = try await provider.signIn(remote, kind: .imap)
            Issue.record("sent a password in plain text to another machine")
        } catch let failure as SignInFailure {
            guard case .notAllowed = failure else { throw failure }
        }
    }

    @Test func foldersCarryTheirSpecialUseCountsAndParents() async throws {
        try await DovecotTestServer.run { server in
            try await server.doveadm(["mailbox", "create", "-u", "ada@example.com", "Projects/Engine", "Entwürfe", "Drafts", "Drafts/Old"])
            try await server.doveadm(["save", "-u", "ada@example.com", "-m", "INBOX"], input: Self.message(1))
            let provider = IMAPMailProvider()
            let token = try IMAPMailProvider.tokens(of: Self.credentials(server)).accessToken
            let folders = try await provider.mailboxes(of: self.account, accessToken: token)
            let byName = Dictionary(uniqueKeysWithValues: folders.map { ($0.displayName, $0) })
            #expect(byName["Inbox"]?.wellKnownName == "inbox")
            #expect(byName["Inbox"]?.totalCount == 1 && byName["Inbox"]?.unreadCount == 1)
            #expect(byName["Sent"]?.wellKnownName == "sentitems")
            #expect(byName["Trash"]?.wellKnownName == "deleteditems")
            #expect(byName["Entwürfe"] != nil)
            // Dovecot lists Projects as a placeholder (NonExistent): no folder, and nobody's parent.
            #expect(byName["Projects"] == nil && byName["Engine"]?.parentID == nil)
            #expect(byName["Old"]?.parentID == byName["Drafts"]?.id && byName["Drafts"] != nil)
        }
    }

    @Test(arguments: [nil, DovecotTestServer.gmailCapabilities, DovecotTestServer.plainCapabilities])
    func theInitialSyncPagesNewestFirstAndDeltaRoundsFindEveryChange(capabilities: [String]?) async throws {
        try await DovecotTestServer.run(capabilities: capabilities) { server in
            for number in 1...7 {
                try await server.doveadm(["save", "-u", "ada@example.com", "-m", "INBOX"], input: Self.message(number))
            }
            let provider = IMAPMailProvider(configuration: IMAPProviderConfiguration(pageSize: 3))
            let token = try IMAPMailProvider.tokens(of: Self.credentials(server)).accessToken
            let inbox = IMAPFolderID.of("INBOX")
            let (pages, cursor) = try await Self.round(provider, self.account, folder: inbox, from: nil, token: token)
            #expect(pages.map(\.upserts.count) == [3, 3, 1])
            let subjects = pages.flatMap(\.upserts).map(\.subject)
            #expect(subjects == (1...7).reversed().map { "Note \($0)" })
            let first = try #require(pages.first?.upserts.first)
            #expect(first.from == EmailAddress(name: "Ada Lovelace", address: "ada@example.com"))
            #expect(first.toRecipients == [EmailAddress(name: "Grace", address: "grace@example.net")])
            #expect(first.internetMessageID == "<note-7@example.com>" && first.mailboxID == inbox && !first.isRead)
            #expect(first.sentAt == 1_795_600_807_000)
            // Dovecot's PREVIEW, or (servers without it) the client's from the body's first bytes.
            #expect(first.bodyPreview == "Body of note 7.", "\(first.bodyPreview)")

            // A resumed checkpoint gives the pages left.
            let resumed = try await provider.messageChanges(of: self.account, mailbox: inbox, link: pages[0].nextLink, accessToken: token)
            #expect(resumed.upserts.map(\.subject) == ["Note 4", "Note 3", "Note 2"])

            // Without CONDSTORE every round reads every message's state (the store keeps only what differs).
            let readsEverything = capabilities == DovecotTestServer.plainCapabilities
            let quiet = try await provider.messageChanges(of: self.account, mailbox: inbox, link: cursor, accessToken: token)
            #expect(quiet.upserts.count == (readsEverything ? 7 : 0) && quiet.removed.isEmpty)

            try await server.doveadm(["flags", "add", "-u", "ada@example.com", "\\Seen \\Flagged", "mailbox", "INBOX", "uid", "2"])
            try await server.doveadm(["expunge", "-u", "ada@example.com", "mailbox", "INBOX", "uid", "5"])
            try await server.doveadm(["save", "-u", "ada@example.com", "-m", "INBOX"], input: Self.message(8))
            let delta = try await provider.messageChanges(of: self.account, mailbox: inbox, link: quiet.cursor ?? cursor, accessToken: token)
            let changed = Dictionary(uniqueKeysWithValues: delta.upserts.map { ($0.subject, $0) })
            #expect(
                Set(changed.keys)
                    == (readsEverything ? ["Note 1", "Note 2", "Note 3", "Note 4", "Note 6", "Note 7", "Note 8"] : ["Note 2", "Note 8"])
            )
            #expect(changed["Note 2"]?.isRead == true && changed["Note 2"]?.flag == .flagged)
            let removed = try #require(delta.removed.first.flatMap(IMAPMessageID.init))
            #expect(delta.removed.count == 1 && removed.uid == 5)
            let read = try await provider.message(try #require(changed["Note 2"]?.id), of: self.account, accessToken: token)
            #expect(read?.isRead == true)
            #expect(try await provider.message(delta.removed[0], of: self.account, accessToken: token) == nil)

            try await server.doveadm(["mailbox", "update", "-u", "ada@example.com", "--uid-validity", "12345", "INBOX"])
            await #expect(throws: MailProviderError.cursorExpired) {
                try await provider.messageChanges(of: self.account, mailbox: inbox, link: delta.cursor, accessToken: token)
            }
            #expect(try await provider.message(try #require(changed["Note 2"]?.id), of: self.account, accessToken: token) == nil)
        }
    }

    @Test func aChangedPasswordIsARefusedToken() async throws {
        try await DovecotTestServer.run { server in
            let provider = IMAPMailProvider()
            let token = try IMAPMailProvider.tokens(of: Self.credentials(server, password: "old")).accessToken
            // Unauthorized: the engine asks for a refresh, which answers reauth_required.
            await #expect {
                try await provider.mailboxes(of: self.account, accessToken: token)
            } throws: { error in
                if case .unauthorized? = error as? MailProviderError { true } else { false }
            }
            await #expect(
                throws: MailProviderError.reauthRequired("the IMAP server refused the password: link the account again with the current one")
            ) {
                try await provider.refreshTokens(IMAPMailProvider.tokens(of: Self.credentials(server)), of: self.account)
            }
        }
    }

    @Test(arguments: [nil, DovecotTestServer.gmailCapabilities])
    func theWatchSaysWhichFolderChanged(capabilities: [String]?) async throws {
        try await DovecotTestServer.run(capabilities: capabilities) { server in
            // Without NOTIFY, two IDLE connections: the inbox and Sent (special-use), and no periodic rounds in this test.
            let provider = IMAPMailProvider(configuration: IMAPProviderConfiguration(watchConnections: 2, unwatchedRoundInterval: .seconds(3_600)))
            let token = try IMAPMailProvider.tokens(of: Self.credentials(server)).accessToken
            // Dovecot makes its auto-created folders on first use, and NOTIFY reports a folder made as a new folder.
            try await server.doveadm(["save", "-u", "ada@example.com", "-m", "Sent"], input: Self.message(0))
            let received = SharedValue<[ChangeHint]>([])
            let watch = Task { try await provider.watch(self.account, accessToken: token) { hints in received.update { $0 += hints } } }
            defer { watch.cancel() }
            #expect(try await TestEnvironment.eventually { received.value.contains { $0.kind == .missed } }, "a (re)started watch asks for a round")
            for (folder, number) in [("Sent", 1), ("INBOX", 2)] {
                try await server.doveadm(["save", "-u", "ada@example.com", "-m", folder], input: Self.message(number))
                let told = try await TestEnvironment.eventually {
                    received.value.contains { $0.kind == .folderChanged && $0.mailboxID == IMAPFolderID.of(folder) }
                }
                #expect(told, "\(folder): \(received.value)")
            }
            watch.cancel()
            await #expect(throws: (any Error).self) { try await watch.value }
        }
    }

    @Test func theWatchOrderIsTheInboxThenTheSpecialUseFolders() {
        let listings = [
            IMAPMailboxListing(attributes: ["\\HasNoChildren"], delimiter: "/", name: "Projects"),
            IMAPMailboxListing(attributes: ["\\Trash"], delimiter: "/", name: "Papierkorb"),
            IMAPMailboxListing(attributes: ["\\Noselect"], delimiter: "/", name: "[Gmail]"),
            IMAPMailboxListing(attributes: ["\\All"], delimiter: "/", name: "[Gmail]/All Mail"),
            IMAPMailboxListing(attributes: [], delimiter: "/", name: "INBOX"),
            IMAPMailboxListing(attributes: ["\\Sent"], delimiter: "/", name: "Gesendet"),
        ]
        #expect(IMAPMailProvider.watchOrder(listings) == ["INBOX", "Papierkorb", "Gesendet", "Projects", "[Gmail]/All Mail"])
    }
}
