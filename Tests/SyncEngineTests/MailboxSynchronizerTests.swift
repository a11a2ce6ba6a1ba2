import Foundation
import MailpulseCore
import SyncEngine
import Testing

/// Delta rounds: a first sync brings every folder page by page, a later round only what changed, an interrupted one
/// resumes from its checkpoint, and nothing is deleted on a folder's word alone.
@Suite struct MailboxSynchronizerTests {
    static func mailbox(_ engine: SyncEngineFixtures) {
        engine.provider.addFolder("inbox", "Inbox", wellKnownName: "inbox")
        engine.provider.addFolder("archive", "Archive")
        for index in 0..<7 { engine.provider.put("i\(index)", in: "inbox") }
        for index in 0..<4 { engine.provider.put("a\(index)", in: "archive") }
    }

    @Test func aFirstSyncBringsEveryFolderPageByPageAndGoesLive() async throws {
        let engine = try await SyncEngineFixtures.linked()
        Self.mailbox(engine)
        try await engine.synchronizer.sync(engine.account, initial: true)
        let stored = try await engine.stored()
        #expect(stored["inbox"]?.count == 7 && stored["archive"]?.count == 4)
        // Pages of three: 3 for the inbox's seven, 2 for the archive's four.
        #expect(engine.provider.calls.pages == 5)
        #expect(try await engine.store.account(engine.account)?.status == .live)
        let progress = engine.events.events(of: engine.account).compactMap { event -> SyncProgress? in
            if case .syncProgress(let progress) = event { return progress }
            return nil
        }
        #expect(progress.filter(\.done).map(\.mailboxID).sorted() == ["archive", "inbox"])
    }

    @Test func withoutASubscriptionTheAccountIsPolled() async throws {
        let engine = try await SyncEngineFixtures.linked(subscribed: false)
        Self.mailbox(engine)
        try await engine.synchronizer.sync(engine.account, initial: true)
        #expect(try await engine.store.account(engine.account)?.status == .degraded)
    }

    @Test func aLaterRoundAsksOnlyForWhatChanged() async throws {
        let engine = try await SyncEngineFixtures.linked()
        Self.mailbox(engine)
        try await engine.synchronizer.sync(engine.account)
        let before = engine.provider.calls.pages
        engine.provider.put("i7", in: "inbox", modifiedAt: 1_800_000_000_000)
        engine.provider.put("i0", in: "inbox", modifiedAt: 1_800_000_000_000, isRead: true)
        try await engine.synchronizer.sync(engine.account)
        #expect(engine.provider.calls.pages - before == 2, "one delta page per folder")
        #expect(try await engine.stored()["inbox"]?.count == 8)
        #expect(try await engine.store.message("i0", of: engine.account)?.isRead == true)
    }

    @Test func anInterruptedSyncResumesFromItsCheckpoint() async throws {
        let engine = try await SyncEngineFixtures.linked(pageSize: 2)
        engine.provider.addFolder("inbox", "Inbox", wellKnownName: "inbox")
        for index in 0..<8 { engine.provider.put("i\(index)", in: "inbox") }
        engine.provider.failPage(3)
        await #expect(throws: MailProviderError.self) { try await engine.synchronizer.sync(engine.account) }
        let checkpoint = try await engine.store.syncState(.mailbox("inbox"), of: engine.account)?.checkpoint
        #expect(checkpoint == "start:inbox:4", "two pages stored, the third failed")
        try await engine.synchronizer.sync(engine.account)
        #expect(try await engine.stored()["inbox"]?.count == 8)
        // 1, 2, 3 (failed), then 3 and 4 again from the checkpoint: the stored pages were not read twice.
        #expect(engine.provider.calls.pages == 5)
    }

    @Test func aMoveReportedAsARemovalIsNotADeletion() async throws {
        let engine = try await SyncEngineFixtures.linked()
        Self.mailbox(engine)
        try await engine.synchronizer.sync(engine.account)
        engine.provider.move("i1", to: "archive", modifiedAt: 1_800_000_000_000)
        try await engine.synchronizer.sync(engine.account)
        let stored = try await engine.stored()
        #expect(stored["archive"]?.contains("i1") == true && stored["inbox"]?.contains("i1") == false)
    }

    @Test func aMessageGoneAtTheProviderBecomesATombstone() async throws {
        let engine = try await SyncEngineFixtures.linked()
        Self.mailbox(engine)
        try await engine.synchronizer.sync(engine.account)
        engine.provider.delete("i2")
        try await engine.synchronizer.sync(engine.account)
        #expect(try await engine.store.message("i2", of: engine.account) == nil)
        #expect(engine.events.events(of: engine.account).contains(.messageDeleted(id: "i2")))
    }

    @Test func anExpiredCursorStartsTheFolderOverAndSweepsWhatIsGone() async throws {
        let engine = try await SyncEngineFixtures.linked()
        Self.mailbox(engine)
        try await engine.synchronizer.sync(engine.account)
        engine.provider.delete("a3")
        engine.provider.put("a9", in: "archive")
        engine.provider.expireCursors()
        try await engine.synchronizer.sync(engine.account)
        let stored = try await engine.stored()
        #expect(stored["archive"] == ["a0", "a1", "a2", "a9"])
        #expect(stored["inbox"]?.count == 7)
    }

    @Test func aSyncStopsAtItsNextWriteWhenItsAccountIsDeleted() async throws {
        let engine = try await SyncEngineFixtures.linked(pageSize: 2)
        engine.provider.addFolder("inbox", "Inbox", wellKnownName: "inbox")
        for index in 0..<8 { engine.provider.put("i\(index)", in: "inbox") }
        let (store, account) = (engine.store, engine.account)
        engine.provider.beforeEachPage { page in
            if page == 2 { try? await store.deleteAccount(account) }
        }
        await #expect(throws: MailStoreError.notFound("")) { try await engine.synchronizer.sync(engine.account) }
        #expect(try await engine.stored().isEmpty)
        #expect(try await engine.store.syncStates(of: engine.account).isEmpty)
        #expect(engine.provider.calls.pages <= 3, "no more pages are read once a write is refused")
    }

    @Test func aCompletedRoundKeepsOnlyItsCursor() async throws {
        let engine = try await SyncEngineFixtures.linked()
        Self.mailbox(engine)
        try await engine.synchronizer.sync(engine.account)
        let state = try #require(try await engine.store.syncState(.mailbox("inbox"), of: engine.account))
        #expect(state.checkpoint == nil && state.cursor == "cursor:inbox:7" && state.completedAt != nil)
        #expect(state.pagesStored == 0 && state.messagesStored == 0)
    }

    @Test func aRemovalOfAMessageStoredElsewhereAsksTheProviderNothing() async throws {
        let engine = try await SyncEngineFixtures.linked()
        Self.mailbox(engine)
        try await engine.synchronizer.sync(engine.account)
        engine.provider.move("a0", to: "inbox", modifiedAt: 1_800_000_000_000)
        // The inbox's round brings the move in first; the archive's then reports a0 gone from there.
        let folders = try await engine.store.mailboxes(of: engine.account)
        for id in ["inbox", "archive"] {
            try await engine.synchronizer.syncFolder(try #require(folders.first { $0.id == id }), of: engine.account)
        }
        #expect(engine.provider.calls.reads == 0)
        #expect(try await engine.store.message("a0", of: engine.account)?.mailboxID == "inbox")
    }

    @Test func aFolderRemovedAtTheProviderLeavesTheMirrorAndItsMailGoesWhereTheProviderPutIt() async throws {
        let engine = try await SyncEngineFixtures.linked()
        Self.mailbox(engine)
        engine.provider.addFolder("deleteditems", "Deleted Items")
        try await engine.synchronizer.sync(engine.account)
        engine.provider.removeFolder("archive", movingMessagesTo: "deleteditems", modifiedAt: 1_800_000_000_000)
        try await engine.synchronizer.sync(engine.account)
        #expect(try await engine.store.mailboxes(of: engine.account).map(\.id).sorted() == ["deleteditems", "inbox"])
        #expect(try await engine.stored()["deleteditems"] == ["a0", "a1", "a2", "a3"])
        #expect(engine.events.events(of: engine.account).contains(.mailboxDeleted(id: "archive")))
    }

    @Test func theMailOfARemovedFolderTheProviderNoLongerHasBecomesTombstones() async throws {
        let engine = try await SyncEngineFixtures.linked()
        Self.mailbox(engine)
        try await engine.synchronizer.sync(engine.account)
        engine.provider.removeFolder("archive", movingMessagesTo: nil, modifiedAt: 1_800_000_000_000)
        try await engine.synchronizer.sync(engine.account)
        #expect(try await engine.stored()["archive"] == nil)
        #expect(try await engine.store.counts(of: engine.account, mailbox: nil).total == 7)
        let stale = try await engine.store.upsertMessages([SyncEngineFixtures.message("a1", account: engine.account, mailbox: "archive")])
        #expect(stale.stale == ["a1"], "an old page cannot bring a removed folder's mail back")
    }

    @Test func aRestartAfterAnExpiredCursorStillSweepsWhenItIsInterrupted() async throws {
        let engine = try await SyncEngineFixtures.linked(pageSize: 2)
        engine.provider.addFolder("inbox", "Inbox", wellKnownName: "inbox")
        for index in 0..<8 { engine.provider.put("i\(index)", in: "inbox") }
        try await engine.synchronizer.sync(engine.account)
        engine.provider.delete("i3")
        engine.provider.expireCursors()
        // The restarted round's second page fails: the round is cut short after its first page was stored.
        engine.provider.failPage(engine.provider.calls.pages + 3)
        await #expect(throws: MailProviderError.self) { try await engine.synchronizer.sync(engine.account) }
        try await engine.synchronizer.sync(engine.account)
        #expect(try await engine.stored()["inbox"] == Set((0..<8).filter { $0 != 3 }.map { "i\($0)" }), "the message gone at the provider is swept")
    }
}
