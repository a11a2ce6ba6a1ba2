import Foundation
import MailpulseCore
import MailpulseServer
import Redis
import SyncEngine
import TestSupport
import Testing

/// The mirror of an IMAP account equals the server within 60 s of the last change, whatever happened meanwhile:
/// changes during the initial sync, watch connections cut mid-stream, Dovecot restarted, a UIDVALIDITY reset, the
/// watching node killed. On Dovecot (NOTIFY, QRESYNC) and on a Dovecot announcing what Gmail announces (IDLE,
/// CONDSTORE only), so the fallbacks are proven too.
@Suite(.enabled(if: DovecotTestServer.isInstalled, "needs Debian's dovecot-imapd (make test installs it)"))
struct IMAPConvergenceTests {
    static let user = IMAPAccountTests.user
    static let deadline = Duration.seconds(60)

    /// Links the user through `port` (the server's by default) and waits for the account to go live.
    static func linkLive(_ harness: LinkHarness, _ server: DovecotTestServer, port: Int? = nil) async throws -> (AccountID, token: String) {
        let linked = try await IMAPAccountTests.link(harness, server, port: port)
        #expect(linked.status == 201, "\(linked.text)")
        let id = try #require(linked.json["id"] as? String)
        let token = try #require(linked.json["token"] as? String)
        #expect(try await harness.waitForStatus(id, token: token, "live", timeout: .seconds(60)) == "live")
        return (try #require(AccountID(id)), token)
    }

    /// Waits until the mirror equals the server, for at most 60 s; records the difference when it does not.
    static func expectConverged(_ server: DovecotTestServer, _ store: any MailStore, _ account: AccountID) async throws {
        let started = ContinuousClock.now
        let converged = try await TestEnvironment.eventually(timeout: Self.deadline) {
            try await IMAPMirror.mirror(store, account: account) == IMAPMirror.truth(server, user: Self.user)
        }
        let truth = try await IMAPMirror.truth(server, user: Self.user)
        let mirror = try await IMAPMirror.mirror(store, account: account)
        #expect(converged, "missing: \(truth.subtracting(mirror).sorted()) extra: \(mirror.subtracting(truth).sorted())")
        print("IMAP converged in \(ContinuousClock.now - started) (\(truth.count) messages)")
    }

    @Test(arguments: [nil, DovecotTestServer.gmailCapabilities, DovecotTestServer.plainCapabilities])
    func changesDuringTheInitialSyncConverge(capabilities: [String]?) async throws {
        try await DovecotTestServer.run(capabilities: capabilities) { server in
            try await IMAPMirror.deliver(server, user: Self.user, prefix: "Seed", count: 120)
            try await server.doveadm(["mailbox", "create", "-u", Self.user, "Archive", "Old", "Scratch"])
            try await IMAPMirror.deliver(server, user: Self.user, folder: "Old", prefix: "Kept", count: 3)
            try await IMAPMirror.deliver(server, user: Self.user, folder: "Scratch", prefix: "Dropped", count: 2)
            try await LinkHarness.run(imapPageSize: 10) { harness in
                let linked = try await IMAPAccountTests.link(harness, server)
                let account = try #require(AccountID(linked.json["id"] as? String ?? ""))
                // The initial sync runs now, ten messages a page.
                try await IMAPMirror.deliver(server, user: Self.user, prefix: "Arrived", count: 3)
                try await server.doveadm(["flags", "add", "-u", Self.user, "\\Seen", "mailbox", "INBOX", "uid", "1:20"])
                try await server.doveadm(["flags", "remove", "-u", Self.user, "\\Seen", "mailbox", "INBOX", "uid", "5:8"])
                try await server.doveadm(["flags", "add", "-u", Self.user, "\\Flagged", "mailbox", "INBOX", "uid", "100:110"])
                try await server.doveadm(["flags", "remove", "-u", Self.user, "\\Flagged", "mailbox", "INBOX", "uid", "105"])
                try await server.doveadm(["move", "-u", Self.user, "Archive", "mailbox", "INBOX", "uid", "30:34"])
                try await server.doveadm(["expunge", "-u", Self.user, "mailbox", "INBOX", "uid", "60:62"])
                try await server.doveadm(["mailbox", "create", "-u", Self.user, "Projects"])
                try await IMAPMirror.deliver(server, user: Self.user, folder: "Projects", prefix: "Project", count: 2)
                try await server.doveadm(["mailbox", "rename", "-u", Self.user, "Old", "Renamed"])
                try await server.doveadm(["mailbox", "delete", "-u", Self.user, "-r", "Scratch"])
                try await Self.expectConverged(server, TestNode(harness).store, account)
            }
        }
    }

    @Test func watchConnectionsCutMidStreamConverge() async throws {
        try await DovecotTestServer.run(capabilities: DovecotTestServer.gmailCapabilities) { server in
            try await IMAPMirror.deliver(server, user: Self.user, prefix: "Seed", count: 5)
            let proxy = try await TCPProxy(to: server.port)
            defer { proxy.close() }
            try await LinkHarness.run { harness in
                let (account, _) = try await Self.linkLive(harness, server, port: proxy.port)
                for round in 1...4 {
                    try await IMAPMirror.deliver(server, user: Self.user, prefix: "Round \(round)", count: 1)
                    try await server.doveadm(["flags", "add", "-u", Self.user, "\\Seen", "mailbox", "INBOX", "uid", "\(round)"])
                    proxy.cutAll()
                }
                try await Self.expectConverged(server, TestNode(harness).store, account)
            }
        }
    }

    @Test func dovecotRestartedAndAUIDValidityResetConverge() async throws {
        try await DovecotTestServer.run { server in
            try await IMAPMirror.deliver(server, user: Self.user, prefix: "Seed", count: 5)
            try await LinkHarness.run { harness in
                let (account, _) = try await Self.linkLive(harness, server)
                let store = try TestNode(harness).store
                // The watch connection dies with the server; the changes come right after it is back, before the watcher
                // has reconnected (it waits out its backoff).
                await server.stop()
                try await server.start()
                try await IMAPMirror.deliver(server, user: Self.user, prefix: "After the restart", count: 2)
                try await server.doveadm(["expunge", "-u", Self.user, "mailbox", "INBOX", "uid", "1"])
                try await Self.expectConverged(server, store, account)

                try await server.doveadm(["mailbox", "update", "-u", Self.user, "--uid-validity", "424242", "INBOX"])
                try await IMAPMirror.deliver(server, user: Self.user, prefix: "After reset", count: 1)
                try await Self.expectConverged(server, store, account)
                #expect(try await IMAPMirror.mirror(store, account: account).allSatisfy { !$0.hasPrefix("INBOX ") || $0.contains(" 424242 ") })
            }
        }
    }

    @Test func theWatchingNodeKilledAnotherTakesTheAccountOver() async throws {
        try await DovecotTestServer.run { server in
            try await IMAPMirror.deliver(server, user: Self.user, prefix: "Seed", count: 5)
            try await LinkHarness.runProcesses(count: 1) { harness, nodes in
                let (account, _) = try await Self.linkLive(harness, server)
                // The first node watches the account (it holds the watcher's lock); a second joins, then the first dies
                // without a word, and the second must take the watch over.
                let redis = TestEnvironment.redisClient(maximumConnections: 1)
                let lock = "\(harness.configuration.redisPrefix)lock:\(ConnectionWatchService.lockKey(account))"
                var first: String?
                _ = try await TestEnvironment.eventually { () async throws -> Bool in
                    first = try await redis.get(lock)
                    return first != nil
                }
                #expect(first != nil, "the first node watches the account")
                let second = try ServiceProcess(harness.configuration, port: try TestEnvironment.freePort())
                defer { second.kill() }
                try await second.start()
                nodes[0].kill()
                let killed = ContinuousClock.now
                let takenOver = try await TestEnvironment.eventually(timeout: .seconds(30)) {
                    let holder = try await redis.get(lock)
                    return holder != nil && holder != first
                }
                #expect(takenOver, "another node holds the watcher's lock within 30 s")
                print("IMAP watcher taken over \(ContinuousClock.now - killed) after the kill")
                try await IMAPMirror.deliver(server, user: Self.user, prefix: "After the kill", count: 2)
                try await server.doveadm(["flags", "add", "-u", Self.user, "\\Flagged", "mailbox", "INBOX", "uid", "2"])
                try await Self.expectConverged(server, TestNode(harness).store, account)
                await redis.close()
            }
        }
    }
}
