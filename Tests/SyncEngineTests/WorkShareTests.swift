import Foundation
import Logging
import MailpulseCore
import SyncEngine
import TestSupport
import Testing

/// How the nodes share the periodic work: every account falls to exactly one live node, evenly; a node that leaves or
/// stops announcing itself hands over its own share and no other account moves; scheduled rounds are spread.
@Suite struct WorkShareTests {
    /// Accounts with ids that are the same on every run, so that the spread is a fact, not a chance.
    static func accounts(_ count: Int) -> [AccountID] {
        var generator = SeededGenerator(seed: 20)
        return (0..<count).map { _ in
            let bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
            return AccountID(
                UUID(
                    uuid: (
                        bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9], bytes[10], bytes[11],
                        bytes[12], bytes[13], bytes[14], bytes[15]
                    )
                )
            )
        }
    }

    static func shares(_ names: [String], on backplane: MemoryBackplane<ManualClock>, clock: ManualClock) -> [WorkShare] {
        names.map {
            WorkShare(backplane: backplane, node: $0, interval: .seconds(3), ttl: .seconds(10), clock: clock, logger: Logger(label: "share"))
        }
    }

    /// Three nodes on one backplane, each announced twice so that every one's view holds all three; answers the
    /// shares and their views.
    static func threeNodes(_ clock: ManualClock) async -> (MemoryBackplane<ManualClock>, [WorkShare], [WorkShare.View]) {
        let backplane = MemoryBackplane(clock: clock)
        let shares = Self.shares(["a", "b", "c"], on: backplane, clock: clock)
        for share in shares { await share.heartbeat() }
        var views: [WorkShare.View] = []
        for share in shares { views.append(await share.heartbeat()) }
        return (backplane, shares, views)
    }

    /// The node that owns each account, as each node's own view says; fails when not exactly one node claims one.
    static func owners(_ views: [WorkShare.View], _ accounts: [AccountID]) -> [AccountID: String] {
        var owners: [AccountID: String] = [:]
        for account in accounts {
            let claimants = views.filter { $0.owns(account) }.map(\.node)
            #expect(claimants.count == 1, "\(account) is claimed by \(claimants)")
            owners[account] = claimants.first
        }
        return owners
    }

    @Test func everyAccountFallsToExactlyOneNodeAndTheSharesAreEven() async throws {
        let (_, _, views) = await Self.threeNodes(ManualClock())
        #expect(views.allSatisfy { $0.members == ["a", "b", "c"] })
        let accounts = Self.accounts(3_000)
        let owners = Self.owners(views, accounts)
        for node in ["a", "b", "c"] {
            let owned = owners.values.filter { $0 == node }.count
            #expect((800...1_200).contains(owned), "\(node) owns \(owned) of 3,000 (1,000 ± 20 %)")
        }
    }

    @Test func aNodeThatLeavesOrGoesSilentHandsOverItsShareAndNoOtherAccountMoves() async throws {
        let clock = ManualClock()
        let (backplane, shares, before) = await Self.threeNodes(clock)
        let accounts = Self.accounts(600)
        let owners = Self.owners(before, accounts)

        // "c" stops without a word: while its announcement lives it keeps its share; after it, the others split it.
        clock.advance(by: .seconds(5))
        #expect(await shares[0].heartbeat().members == ["a", "b", "c"])
        await shares[1].heartbeat()
        clock.advance(by: .seconds(6))
        let after = [await shares[0].heartbeat(), await shares[1].heartbeat()]
        #expect(after.allSatisfy { $0.members == ["a", "b"] })
        let moved = Self.owners(after, accounts)
        for account in accounts where owners[account] != "c" {
            #expect(moved[account] == owners[account], "an account of a node that stayed moved")
        }

        // "b" leaves as it stops: "a" owns everything at its next heartbeat.
        try await backplane.leave("b")
        let alone = await shares[0].heartbeat()
        #expect(alone.members == ["a"])
        #expect(accounts.allSatisfy(alone.owns))
    }

    @Test func aNodeAloneOrWithoutABackplaneOwnsEveryAccount() async throws {
        #expect(Self.accounts(50).allSatisfy(WorkShare.View.everything.owns))
        #expect(Self.accounts(50).allSatisfy(WorkShare.View(node: "a", members: ["a"]).owns))
    }

    /// Minute `index` of a schedule.
    static func minute(_ index: Int) -> Range<Duration> {
        Duration.seconds(60 * index)..<Duration.seconds(60 * (index + 1))
    }

    @Test func aRoundOfEveryAccountIsSpreadOverTheIntervalOncePerAccount() {
        let schedule = SyncSchedule(syncInterval: .seconds(900), pollInterval: .seconds(60), backfillGap: .seconds(60))
        let live = Self.accounts(3_000).map { Account(id: $0, provider: .outlook, status: .live, createdAt: Date(), updatedAt: Date()) }
        var perTick = [Int](repeating: 0, count: 15)
        for account in live {
            let due = (0..<30).compactMap { tick in schedule.due(account, in: Self.minute(tick)) }
            #expect(due.count == 2, "a live account is due once in each of two intervals")
            if let first = due.first { perTick[Int(first.components.seconds / 60)] += 1 }
            #expect(due.count < 2 || abs((due[1] - due[0] - .seconds(900)).timeInterval) < 0.001, "a whole interval apart")
        }
        for (tick, count) in perTick.enumerated() {
            #expect((160...240).contains(count), "minute \(tick): \(count) rounds (200 ± 20 %)")
        }
    }

    @Test func anAccountWithoutNotificationsIsPolledEveryPollIntervalAndOthersNeverAre() {
        let schedule = SyncSchedule(syncInterval: .seconds(900), pollInterval: .seconds(60), backfillGap: .seconds(60))
        let id = Self.accounts(1)[0]
        let degraded = Account(id: id, provider: .outlook, status: .degraded, createdAt: Date(), updatedAt: Date())
        let waiting = Account(id: id, provider: .outlook, status: .reauthRequired, createdAt: Date(), updatedAt: Date())
        let due = (0..<15).compactMap { tick in schedule.due(degraded, in: Self.minute(tick)) }
        #expect(due.count == 15)
        #expect(zip(due, due.dropFirst()).allSatisfy { abs(($1 - $0 - .seconds(60)).timeInterval) < 0.001 })
        #expect((0..<30).allSatisfy { tick in schedule.due(waiting, in: Self.minute(tick)) == nil })
        let off = SyncSchedule(syncInterval: .zero, pollInterval: .zero, backfillGap: .zero)
        #expect(off.due(degraded, in: Duration.zero..<Duration.seconds(3_600)) == nil)
    }
}
