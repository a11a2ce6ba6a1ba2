import Foundation
import MailpulseCore
import SyncEngine
import TestSupport
import Testing

/// Hints ring the doorbells of the folders they touched; a folder's delta round runs once its burst has settled, on one
/// node, whatever dropped, duplicated or reordered notifications got wrong.
@Suite struct DoorbellTests {
    @Test func aBurstRingsOnceAfterItSettles() async throws {
        let clock = ManualClock()
        let backplane = MemoryBackplane(clock: clock)
        for _ in 0..<3 {
            try await backplane.ringDoorbells(["a", "b"], settle: .seconds(2), patience: .seconds(10))
            clock.advance(by: .seconds(1))
        }
        // The last rings were a second ago: the burst has not settled.
        #expect(try await backplane.answerDoorbells(limit: 10).isEmpty)
        clock.advance(by: .seconds(1))
        #expect(try await Set(backplane.answerDoorbells(limit: 10)) == ["a", "b"])
        #expect(try await backplane.answerDoorbells(limit: 10).isEmpty, "answered once, by one caller")
    }

    @Test func aFolderThatKeepsChangingWaitsNoLongerThanItsPatience() async throws {
        let clock = ManualClock()
        let backplane = MemoryBackplane(clock: clock)
        var answeredAt: Duration?
        for second in 0..<15 where answeredAt == nil {
            try await backplane.ringDoorbells(["busy"], settle: .seconds(2), patience: .seconds(10))
            if try await backplane.answerDoorbells(limit: 10) == ["busy"] { answeredAt = .seconds(second) }
            clock.advance(by: .seconds(1))
        }
        #expect(answeredAt == .seconds(10))
    }

    @Test func answeringTakesAtMostTheLimit() async throws {
        let clock = ManualClock()
        let backplane = MemoryBackplane(clock: clock)
        try await backplane.ringDoorbells((0..<5).map { "f\($0)" }, settle: .zero, patience: .zero)
        #expect(try await backplane.answerDoorbells(limit: 3).count == 3)
        #expect(try await backplane.answerDoorbells(limit: 3).count == 2)
    }

    @Test func rungFoldersGetOneDeltaRoundOnceSettled() async throws {
        let engine = try await SyncEngineFixtures.linked(status: .live, lastSyncedAt: Date())
        AccountSyncServiceTests.mailbox(engine)
        engine.provider.addFolder("archive", "Archive")
        try await engine.synchronizer.sync(engine.account)
        // A change whose notification was dropped, in a folder another notification touched.
        engine.provider.put("lost", in: "archive")
        let before = engine.provider.calls
        let service = engine.syncService(schedule: AccountSyncServiceTests.schedule)
        let doorbells = engine.doorbells(for: service)
        try await AccountSyncServiceTests.running(service) {
            for _ in 0..<5 { await doorbells.ring([engine.account: ["archive"]]) }
            #expect(try await engine.backplane.answerDoorbells(limit: 10).isEmpty, "not due before the burst settles")
            engine.clock.advance(by: doorbells.settle)
            await doorbells.answer()
            let repaired = try await TestEnvironment.eventually { try await engine.stored()["archive"] == ["lost"] }
            #expect(repaired)
        }
        #expect(engine.provider.calls.pages == before.pages + 1, "five rings, one delta page of the archive")
    }

    @Test func aFollowUpRoundReadsEveryFolderOnceAfterABurst() async throws {
        let engine = try await SyncEngineFixtures.linked(status: .live, lastSyncedAt: Date())
        AccountSyncServiceTests.mailbox(engine)
        engine.provider.addFolder("archive", "Archive")
        try await engine.synchronizer.sync(engine.account)
        let service = engine.syncService(schedule: AccountSyncServiceTests.schedule)
        let doorbells = engine.doorbells(for: service)
        try await AccountSyncServiceTests.running(service) {
            await doorbells.ring([engine.account: ["inbox"]])
            engine.clock.advance(by: doorbells.settle)
            await doorbells.answer()
            try await SyncEngineFixtures.until("the inbox round ran") { service.syncing.isEmpty && engine.provider.calls.folderLists == 2 }
            // The burst's last change: its notification was lost, in a folder no hint named.
            engine.provider.put("quiet", in: "archive")
            engine.clock.advance(by: doorbells.followUp)
            await doorbells.answer()
            let found = try await TestEnvironment.eventually { try await engine.stored()["archive"] == ["quiet"] }
            #expect(found)
            // Once: the follow-up rings no follow-up of its own.
            engine.clock.advance(by: doorbells.followUp * 2)
            #expect(try await engine.backplane.answerDoorbells(limit: 10).isEmpty)
        }
    }

    @Test func aDeletedAccountsDoorbellsAreSilencedAndRingForNobody() async throws {
        let engine = try await SyncEngineFixtures.linked(status: .live, lastSyncedAt: Date())
        let other = AccountID.random()
        let service = engine.syncService(schedule: AccountSyncServiceTests.schedule)
        let doorbells = engine.doorbells(for: service)
        await doorbells.ring([engine.account: ["inbox", "archive"], other: ["inbox"]])
        try await engine.backplane.silenceDoorbells(startingWith: DoorbellService.namePrefixes(of: engine.account))
        engine.clock.advance(by: doorbells.settle)
        #expect(try await engine.backplane.answerDoorbells(limit: 10) == [DoorbellService.key(other, "inbox")])

        // Rung after the deletion (a worker still busy with the account): answered, it asks for no round and no follow-up.
        await doorbells.ring([engine.account: ["inbox"]])
        try await engine.store.deleteAccount(engine.account)
        engine.clock.advance(by: doorbells.settle)
        await doorbells.answer()
        engine.clock.advance(by: doorbells.followUp)
        #expect(try await engine.backplane.answerDoorbells(limit: 10).isEmpty)
        #expect(engine.provider.calls.folderLists == 0)
    }

    @Test func aChangeTellsWhichFoldersItTouched() async throws {
        let engine = try await SyncEngineFixtures.linked()
        AccountSyncServiceTests.mailbox(engine)
        engine.provider.addFolder("archive", "Archive")
        try await engine.synchronizer.sync(engine.account)
        engine.provider.move("i1", to: "archive", modifiedAt: 1_800_000_000_000)
        #expect(try await engine.processor.apply("i1", of: engine.account, kind: .updated, changeKey: nil) == ["inbox", "archive"])
        #expect(try await engine.processor.apply("i2", of: engine.account, kind: .deleted, changeKey: nil) == ["inbox"])
        #expect(try await engine.processor.apply("unknown", of: engine.account, kind: .deleted, changeKey: nil).isEmpty)
    }

    @Test func mailInAFolderTheMirrorDoesNotKnowBringsTheFoldersInAtOnce() async throws {
        let engine = try await SyncEngineFixtures.linked()
        AccountSyncServiceTests.mailbox(engine)
        try await engine.synchronizer.sync(engine.account)
        engine.provider.addFolder("projects", "Projects")
        engine.provider.move("i1", to: "projects", modifiedAt: 1_800_000_000_000)
        let lists = engine.provider.calls.folderLists
        try await engine.processor.apply("i1", of: engine.account, kind: .updated, changeKey: nil)
        #expect(try await engine.store.mailboxes(of: engine.account).map(\.id).contains("projects"))
        #expect(engine.provider.calls.folderLists == lists + 1)
        #expect(engine.events.events(of: engine.account).contains { $0.type == "mailbox.upserted" })
        // A change within a known folder lists nothing.
        engine.provider.put("i2", in: "inbox", modifiedAt: 1_800_000_000_001, isRead: true)
        try await engine.processor.apply("i2", of: engine.account, kind: .updated, changeKey: nil)
        #expect(engine.provider.calls.folderLists == lists + 1)
    }
}
