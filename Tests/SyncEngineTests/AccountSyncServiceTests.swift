import Foundation
import Logging
import MailpulseCore
import SyncEngine
import TestSupport
import Testing

/// When the engine syncs an account: on linking (subscribe first), at start-up for interrupted or stale accounts,
/// every poll interval for accounts without notifications, every sync interval for all; and what a person reads
/// when a sync fails.
@Suite struct AccountSyncServiceTests {
    static let schedule = SyncSchedule(syncInterval: .seconds(900), pollInterval: .seconds(60), backfillGap: .seconds(60))

    static func mailbox(_ engine: SyncEngineFixtures) {
        engine.provider.addFolder("inbox", "Inbox", wellKnownName: "inbox")
        for index in 0..<5 { engine.provider.put("i\(index)", in: "inbox") }
    }

    /// Runs the service while `body` runs.
    static func running(_ service: AccountSyncService, _ body: () async throws -> Void) async throws {
        let task = Task { try await service.run() }
        defer { task.cancel() }
        try await body()
    }

    /// Moves the clock one tick (a minute) on, a deadline of the schedule at a time: each time no sync runs (a
    /// scheduled round skips an account that is syncing) and the schedule sleeps, to its next wake-up in the tick.
    static func tick(_ engine: SyncEngineFixtures, _ service: AccountSyncService) async throws {
        let end = engine.clock.now.advanced(by: .seconds(60))
        while engine.clock.now < end {
            try await SyncEngineFixtures.until("no sync runs and the schedule sleeps") {
                service.syncing.isEmpty && !engine.clock.deadlines.isEmpty
            }
            let next = min(engine.clock.deadlines.min() ?? end, end)
            engine.clock.advance(by: engine.clock.now.duration(to: next))
        }
    }

    static func status(_ engine: SyncEngineFixtures) async throws -> AccountStatus? {
        try await engine.store.account(engine.account)?.status
    }

    @Test func aLinkedAccountIsSubscribedFirstThenSyncedAndGoesLive() async throws {
        let engine = try await SyncEngineFixtures.linked(subscribed: false)
        Self.mailbox(engine)
        let service = engine.syncService(schedule: Self.schedule)
        try await Self.running(service) {
            await service.accountLinked(engine.account)
            let held = try await TestEnvironment.eventually { try await Self.status(engine) == .live }
            #expect(held)
        }
        #expect(engine.directory.subscriptions.values.map { $0 } == [engine.account])
        #expect(try await engine.stored()["inbox"]?.count == 5)
        #expect(engine.events.events(of: engine.account).first == .activity("Subscribed to change notifications"))
    }

    @Test func withoutWebhooksALinkedAccountIsPolled() async throws {
        let engine = try await SyncEngineFixtures.linked(subscribed: false)
        Self.mailbox(engine)
        let service = engine.syncService(schedule: Self.schedule, webhooks: false)
        try await Self.running(service) {
            await service.accountLinked(engine.account)
            let held = try await TestEnvironment.eventually { try await Self.status(engine) == .degraded }
            #expect(held)
        }
        #expect(engine.directory.subscriptions.isEmpty)
        #expect(engine.events.events(of: engine.account).first == .activity("Change notifications unavailable: polling for changes"))
    }

    @Test func aPolledAccountIsSyncedEveryPollInterval() async throws {
        let engine = try await SyncEngineFixtures.linked(subscribed: false, status: .degraded, lastSyncedAt: Date())
        Self.mailbox(engine)
        let service = engine.syncService(schedule: Self.schedule)
        try await Self.running(service) {
            for round in 1...3 {
                try await Self.tick(engine, service)
                let held = try await TestEnvironment.eventually { engine.provider.calls.folderLists == round }
                #expect(held)
            }
        }
    }

    @Test func aLiveAccountGetsOneRoundEverySyncIntervalAtItsOwnTime() async throws {
        let engine = try await SyncEngineFixtures.linked(status: .live, lastSyncedAt: Date())
        Self.mailbox(engine)
        let service = engine.syncService(schedule: Self.schedule)
        let minute = Int(WorkShare.View.phase(of: engine.account) * 15)
        try await Self.running(service) {
            for elapsed in 1...30 {
                try await Self.tick(engine, service)
                let rounds = elapsed > minute + 15 ? 2 : elapsed > minute ? 1 : 0
                let held = try await TestEnvironment.eventually { engine.provider.calls.folderLists == rounds }
                #expect(held, "after \(elapsed) minutes, \(rounds) rounds (its minute is \(minute))")
            }
        }
    }

    @Test func atStartUpAnInterruptedInitialSyncResumes() async throws {
        let engine = try await SyncEngineFixtures.linked(status: .syncing)
        Self.mailbox(engine)
        try await Self.running(engine.syncService(schedule: Self.schedule)) {
            let held = try await TestEnvironment.eventually { try await Self.status(engine) == .live }
            #expect(held)
        }
        #expect(try await engine.stored()["inbox"]?.count == 5)
    }

    @Test func atStartUpAnAccountNotSyncedForLongerThanTheGapCatchesUp() async throws {
        let engine = try await SyncEngineFixtures.linked(status: .live, lastSyncedAt: Date() - 3600)
        Self.mailbox(engine)
        try await Self.running(engine.syncService(schedule: Self.schedule)) {
            let held = try await TestEnvironment.eventually { engine.provider.calls.folderLists == 1 }
            #expect(held)
        }
    }

    @Test func anInterruptedSyncOfANodeThatDiedResumesOnTheNodeItsShareFallsTo() async throws {
        let engine = try await SyncEngineFixtures.linked(status: .syncing)
        Self.mailbox(engine)
        // Names such that, while both live, the account is the other node's.
        let (mine, theirs) = WorkShare.View(node: "a", members: ["a", "b"]).owns(engine.account) ? ("b", "a") : ("a", "b")
        let share = { (node: String) in
            WorkShare(
                backplane: engine.backplane,
                node: node,
                interval: .seconds(3),
                ttl: .seconds(10),
                clock: engine.clock,
                logger: Logger(label: "share")
            )
        }
        await share(theirs).heartbeat()
        let myShare = share(mine)
        let announcing = Task { try await myShare.run() }
        defer { announcing.cancel() }
        let service = engine.syncService(schedule: Self.schedule, share: myShare)
        try await Self.running(service) {
            try await SyncEngineFixtures.until("the catch-up looked and sleeps, and so does the heartbeat") {
                engine.clock.deadlines.filter { $0 == engine.clock.now.advanced(by: .seconds(3)) }.count >= 2
            }
            #expect(try await Self.status(engine) == .syncing, "the other node's account, while that node lives")
            // The other node says nothing more: its entry ends, and the account is this node's to resume.
            // Its entry ends at 10 s; this node's heartbeat sees it by 12 s, and the catch-up by 15 s.
            for _ in 0..<5 {
                try await SyncEngineFixtures.until("the catch-up and the heartbeat both sleep") {
                    engine.clock.deadlines.filter { $0 == engine.clock.now.advanced(by: .seconds(3)) }.count >= 2
                }
                engine.clock.advance(by: .seconds(3))
            }
            let resumed = try await TestEnvironment.eventually { try await Self.status(engine) == .live }
            #expect(resumed)
        }
        #expect(try await engine.stored()["inbox"]?.count == 5)
    }

    @Test func aFailedSyncTellsThePersonASentenceNotTheError() async throws {
        let engine = try await SyncEngineFixtures.linked()
        Self.mailbox(engine)
        engine.provider.failPage(1)
        let service = engine.syncService(schedule: Self.schedule)
        try await Self.running(service) {
            service.requestBackfill(engine.account)
            let told = try await TestEnvironment.eventually {
                engine.events.events(of: engine.account).contains(.activity("Sync failed. The provider did not answer."))
            }
            #expect(told)
        }
    }

    @Test func aFolderRoundReadsThatFolderAlone() async throws {
        let engine = try await SyncEngineFixtures.linked(status: .live, lastSyncedAt: Date())
        Self.mailbox(engine)
        engine.provider.addFolder("archive", "Archive")
        try await engine.synchronizer.sync(engine.account)
        let before = engine.provider.calls
        engine.provider.put("new", in: "archive", subject: "Filed")
        let service = engine.syncService(schedule: Self.schedule)
        try await Self.running(service) {
            service.requestRound(engine.account, folders: ["archive"])
            let held = try await TestEnvironment.eventually { try await engine.stored()["archive"] == ["new"] }
            #expect(held)
        }
        #expect(engine.provider.calls.folderLists == before.folderLists + 1, "the folder list, for renames and deletions")
        #expect(engine.provider.calls.pages == before.pages + 1, "one delta page of the archive, none of the inbox")
    }

    @Test func aRoundOfAFolderTheMirrorDoesNotKnowListsTheFolders() async throws {
        let engine = try await SyncEngineFixtures.linked(status: .live, lastSyncedAt: Date())
        Self.mailbox(engine)
        try await engine.synchronizer.sync(engine.account)
        engine.provider.addFolder("projects", "Projects")
        engine.provider.put("p1", in: "projects")
        try await engine.synchronizer.sync(["projects"], of: engine.account)
        #expect(try await engine.store.mailboxes(of: engine.account).map(\.id).contains("projects"))
        #expect(try await engine.stored()["projects"] == ["p1"])
    }
}
