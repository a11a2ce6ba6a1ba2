import MailpulseCore
import SyncEngine
import Testing

/// How notices of one message become one piece of work: the one merge rule, and the queue's coalescing around it.
@Suite struct ChangeQueueRuleTests {
    static let account = AccountID.random()

    static func notice(_ kind: ChangeNotice.Kind, _ message: String? = "m1", key: String? = nil) -> ChangeNotice {
        ChangeNotice(accountID: Self.account, subscriptionID: "s", kind: kind, messageID: message, changeKey: key)
    }

    @Test(
        arguments: [
            (ChangeNotice.Kind.updated, "a", ChangeNotice.Kind.updated, "a", ChangeNotice.Kind.updated, "a"),
            (.updated, "a", .updated, "b", .updated, nil),
            (.created, "a", .deleted, nil, .deleted, nil),
            (.deleted, nil, .updated, "b", .deleted, nil),
            (.updated, nil, .updated, nil, .updated, nil),
        ] as [(ChangeNotice.Kind, String?, ChangeNotice.Kind, String?, ChangeNotice.Kind, String?)]
    )
    func aDeletionWinsAndAChangeKeySurvivesOnlyWhenBothAgree(
        _ firstKind: ChangeNotice.Kind,
        _ firstKey: String?,
        _ laterKind: ChangeNotice.Kind,
        _ laterKey: String?,
        _ kind: ChangeNotice.Kind,
        _ key: String?
    ) {
        let merged = Self.notice(firstKind, key: firstKey).joining(Self.notice(laterKind, key: laterKey))
        #expect(merged.kind == kind && merged.changeKey == key)
    }

    @Test func noticesOfOneMessageWaitAsOneEntry() async throws {
        let queue = MemoryChangeQueue(clock: ManualClock())
        #expect(try await queue.enqueue((0..<10).map { _ in Self.notice(.updated, key: "a") }) == 1)
        #expect(try await queue.enqueue([Self.notice(.updated, "m2")]) == 1)
        #expect(queue.length == 2)
    }

    @Test func beginningWorkMergesWhatWaitedAndLetsLaterNoticesQueueAgain() async throws {
        let queue = MemoryChangeQueue(clock: ManualClock())
        try await queue.enqueue([Self.notice(.updated, key: "a"), Self.notice(.deleted), Self.notice(.updated, key: "a")])
        let received = try await queue.receive(consumer: "w", limit: 10, wait: .seconds(1))
        #expect(received.count == 1)
        let merged = try await queue.begin(received[0].notice)
        #expect(merged.kind == .deleted && merged.changeKey == nil)
        // A change after the worker began is new work, not part of what it is doing.
        #expect(try await queue.enqueue([Self.notice(.updated, key: "b")]) == 1)
        try await queue.acknowledge(received)
        #expect(queue.length == 1)
    }

    @Test func lifecycleNoticesAreNeverCoalesced() async throws {
        let queue = MemoryChangeQueue(clock: ManualClock())
        #expect(try await queue.enqueue([Self.notice(.missed, nil), Self.notice(.missed, nil)]) == 2)
    }

    @Test func groupsAreCountedPerDelivery() async throws {
        let queue = MemoryChangeQueue(clock: ManualClock())
        let counts = try await queue.enqueue(groups: [[Self.notice(.updated, "x")], [Self.notice(.updated, "x"), Self.notice(.updated, "y")]])
        #expect(counts == [1, 1])
    }

    @Test func anEntryAWorkerLeftIsClaimedOnlyAfterItHasIdled() async throws {
        let clock = ManualClock()
        let queue = MemoryChangeQueue(clock: clock)
        try await queue.enqueue([Self.notice(.updated)])
        _ = try await queue.receive(consumer: "dead", limit: 10, wait: .zero)
        #expect(try await queue.receive(consumer: "alive", limit: 10, wait: .zero).isEmpty)
        clock.advance(by: .seconds(29))
        #expect(try await queue.claimAbandoned(consumer: "alive", idle: .seconds(30), limit: 10).isEmpty)
        clock.advance(by: .seconds(1))
        let claimed = try await queue.claimAbandoned(consumer: "alive", idle: .seconds(30), limit: 10)
        #expect(claimed.map(\.notice.messageID) == ["m1"])
    }

    @Test func aDeadLetterIsSetAsideAndDone() async throws {
        let queue = MemoryChangeQueue(clock: ManualClock())
        try await queue.enqueue([Self.notice(.updated)])
        let received = try await queue.receive(consumer: "w", limit: 10, wait: .zero)
        try await queue.deadLetter(received[0], reason: "the provider failed")
        #expect(queue.length == 0)
        #expect(queue.deadLetters.map(\.reason) == ["the provider failed"])
    }
}
