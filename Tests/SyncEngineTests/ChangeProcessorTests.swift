import MailpulseCore
import SyncEngine
import Testing

/// What one change hint does to the mirror: the fewest provider calls that make the store true again.
@Suite struct ChangeProcessorTests {
    @Test func aDeletionIsAppliedWithoutAskingTheProvider() async throws {
        let engine = try await SyncEngineFixtures.linked()
        _ = try await engine.store.upsertMessages([SyncEngineFixtures.message("m1", account: engine.account)])
        try await engine.processor.apply("m1", of: engine.account, kind: .deleted, changeKey: nil)
        #expect(try await engine.store.message("m1", of: engine.account) == nil)
        #expect(engine.provider.calls.reads == 0)
        #expect(engine.events.events(of: engine.account) == [.messageDeleted(id: "m1")])
    }

    @Test func aNoticeOfTheVersionAlreadyStoredCostsNothing() async throws {
        let engine = try await SyncEngineFixtures.linked()
        let stored = SyncEngineFixtures.message("m1", account: engine.account)
        _ = try await engine.store.upsertMessages([stored])
        try await engine.processor.apply("m1", of: engine.account, kind: .updated, changeKey: stored.version.changeKey)
        #expect(engine.provider.calls.reads == 0)
        #expect(engine.events.events(of: engine.account).isEmpty)
    }

    @Test func aChangeIsReadOnceStoredAndPublished() async throws {
        let engine = try await SyncEngineFixtures.linked()
        engine.provider.addFolder("inbox", "Inbox", wellKnownName: "inbox")
        engine.provider.put("m1", in: "inbox", modifiedAt: 2_000, isRead: true)
        try await engine.synchronizer.refreshFolders(of: engine.account)
        try await engine.processor.apply("m1", of: engine.account, kind: .updated, changeKey: "unknown")
        #expect(engine.provider.calls.reads == 1)
        #expect(try await engine.store.message("m1", of: engine.account)?.isRead == true)
        #expect(engine.events.events(of: engine.account).map(\.type).last == "message.upserted")
        #expect(engine.events.events(of: engine.account).filter { $0.type == "message.upserted" }.count == 1)
    }

    @Test func aMessageTheProviderNoLongerHasBecomesATombstone() async throws {
        let engine = try await SyncEngineFixtures.linked()
        _ = try await engine.store.upsertMessages([SyncEngineFixtures.message("m1", account: engine.account)])
        try await engine.processor.apply("m1", of: engine.account, kind: .updated, changeKey: nil)
        #expect(try await engine.store.message("m1", of: engine.account) == nil)
        // The tombstone keeps an older page from bringing it back.
        let stale = try await engine.store.upsertMessages([SyncEngineFixtures.message("m1", account: engine.account)])
        #expect(stale.stale == ["m1"])
    }

    @Test func anOlderVersionArrivingLateChangesNothing() async throws {
        let engine = try await SyncEngineFixtures.linked()
        engine.provider.addFolder("inbox", "Inbox")
        _ = try await engine.store.upsertMessages([SyncEngineFixtures.message("m1", account: engine.account, subject: "new", modifiedAt: 5_000)])
        engine.provider.put("m1", in: "inbox", subject: "old", modifiedAt: 4_000)
        try await engine.processor.apply("m1", of: engine.account, kind: .updated, changeKey: nil)
        #expect(try await engine.store.message("m1", of: engine.account)?.subject == "new")
        #expect(engine.events.events(of: engine.account).isEmpty)
    }

    @Test func newMailIsReadAndStoredInItsFolder() async throws {
        let engine = try await SyncEngineFixtures.linked()
        engine.provider.addFolder("archive", "Archive")
        engine.provider.put("m9", in: "archive", subject: "Fresh")
        try await engine.processor.apply("m9", of: engine.account, kind: .created, changeKey: "key-1700000000000-Fresh-false")
        let stored = try #require(try await engine.store.message("m9", of: engine.account))
        #expect(stored.mailboxID == "archive" && stored.subject == "Fresh")
    }

    @Test func twoChangesWithinOneSequenceAreSettledByReadingAgain() async throws {
        let engine = try await SyncEngineFixtures.linked()
        engine.provider.addFolder("inbox", "Inbox")
        // A read that saw the first of two changes made within one second lands after the second was stored.
        let first = SyncEngineFixtures.message("m1", account: engine.account, modifiedAt: 2_000)
        engine.provider.put("m1", in: "inbox", modifiedAt: 2_000, isRead: true)
        _ = try await engine.store.upsertMessages([SyncEngineFixtures.message("m1", account: engine.account, modifiedAt: 2_000, isRead: true)])
        let writer = MessageWriter(store: engine.store, provider: engine.provider, tokens: engine.tokens, events: engine.events)
        try await writer.write([first], of: engine.account)

        // Arrival order did not decide: the message was read again, and the provider's state is the mirror's.
        #expect(engine.provider.calls.reads == 1)
        #expect(try await engine.store.message("m1", of: engine.account)?.isRead == true)
    }

    @Test func aTieWithAMessageTheProviderNoLongerHasDeletesIt() async throws {
        let engine = try await SyncEngineFixtures.linked()
        _ = try await engine.store.upsertMessages([SyncEngineFixtures.message("m1", account: engine.account, modifiedAt: 2_000, isRead: true)])
        let writer = MessageWriter(store: engine.store, provider: engine.provider, tokens: engine.tokens, events: engine.events)
        try await writer.write([SyncEngineFixtures.message("m1", account: engine.account, modifiedAt: 2_000)], of: engine.account)
        #expect(try await engine.store.message("m1", of: engine.account) == nil)
        #expect(engine.events.events(of: engine.account) == [.messageDeleted(id: "m1")])
    }
}
