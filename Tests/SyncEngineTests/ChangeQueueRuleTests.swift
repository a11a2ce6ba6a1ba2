import MailpulseCore
import SyncEngine
import Testing

/// How hints of one message become one piece of work: the one merge rule, and the queue's coalescing around it.
@Suite struct ChangeQueueRuleTests {
    static let account = AccountID.random()

    static func hint(_ kind: ChangeHint.Kind, _ message: String? = "m1", key: String? = nil) -> ChangeHint {
        ChangeHint(accountID: Self.account, subscriptionID: "s", kind: kind, messageID: message, changeKey: key)
    }

    @Test(
        arguments: [
            (ChangeHint.Kind.updated, "a", ChangeHint.Kind.updated, "a", ChangeHint.Kind.updated, "a"),
            (.updated, "a", .updated, "b", .updated, nil),
            (.created, "a", .deleted, nil, .deleted, nil),
            (.deleted, nil, .updated, "b", .deleted, nil),
            (.updated, nil, .updated, nil, .updated, nil),
        ] as [(ChangeHint.Kind, String?, ChangeHint.Kind, String?, ChangeHint.Kind, String?)]
    )
    func aDeletionWinsAndAChangeKeySurvivesOnlyWhenBothAgree(
        _ firstKind: ChangeHint.Kind,
        _ firstKey: String?,
        _ laterKind: ChangeHint.Kind,
        _ laterKey: String?,
        _ kind: ChangeHint.Kind,
        _ key: String?
    ) {
        let merged = Self.hint(firstKind, key: firstKey).joining(Self.hint(laterKind, key: laterKey))
        #expect(merged.kind == kind && merged.changeKey == key)
    }

    @Test func hintsOfOneMessageWaitAsOneEntry() async throws {
        let queue = MemoryChangeQueue(clock: ManualClock())
        #expect(try await queue.enqueue((0..<10).map { _ in Self.hint(.updated, key: "a") }) == 1)
        #expect(try await queue.enqueue([Self.hint(.updated, "m2")]) == 1)
        #expect(try await queue.length() == 2)
    }

    @Test func beginningWorkMergesWhatWaitedAndLetsLaterHintsQueueAgain() async throws {
        let queue = MemoryChangeQueue(clock: ManualClock())
        try await queue.enqueue([Self.hint(.updated, key: "a"), Self.hint(.deleted), Self.hint(.updated, key: "a")])
        let received = try await queue.receive(consumer: "w", limit: 10, wait: .seconds(1))
        #expect(received.count == 1)
        let merged = try await queue.begin(received[0].hint)
        #expect(merged.kind == .deleted && merged.changeKey == nil)
        // A change after the worker began is new work, not part of what it is doing.
        #expect(try await queue.enqueue([Self.hint(.updated, key: "b")]) == 1)
        try await queue.acknowledge(received)
        #expect(try await queue.length() == 1)
    }

    @Test func pushLifecycleHintsAreNeverCoalesced() async throws {
        let queue = MemoryChangeQueue(clock: ManualClock())
        #expect(try await queue.enqueue([Self.hint(.subscriptionRemoved, nil), Self.hint(.subscriptionRemoved, nil)]) == 2)
    }

    @Test func eachScopeIsCoalescedApart() async throws {
        let queue = MemoryChangeQueue(clock: ManualClock())
        let other = AccountID.random()
        let hints = [
            ChangeHint.folder("inbox", of: Self.account), .folder("inbox", of: Self.account), .folder("archive", of: Self.account),
            .folder("inbox", of: other), Self.hint(.missed, nil), Self.hint(.missed, nil), Self.hint(.updated, "inbox"),
        ]
        // Two folders of one account, one of another, the account once, and a message whose id is a folder's.
        #expect(try await queue.enqueue(hints) == 5)
        #expect(Set(hints.map(\.scope)) == [.folder("inbox"), .folder("archive"), .account, .message("inbox")])
    }

    @Test func aHintNamingNothingIsAboutTheAccount() {
        #expect(ChangeHint(accountID: Self.account, kind: .folderChanged).scope == .account)
        #expect(Self.hint(.updated, nil).scope == .account)
        #expect(Self.hint(.reauthorizationRequired, nil).coalescingKey == nil)
    }

    @Test func groupsAreCountedPerDelivery() async throws {
        let queue = MemoryChangeQueue(clock: ManualClock())
        let counts = try await queue.enqueue(groups: [[Self.hint(.updated, "x")], [Self.hint(.updated, "x"), Self.hint(.updated, "y")]])
        #expect(counts == [1, 1])
    }

    @Test func anEntryAWorkerLeftIsClaimedOnlyAfterItHasIdled() async throws {
        let clock = ManualClock()
        let queue = MemoryChangeQueue(clock: clock)
        try await queue.enqueue([Self.hint(.updated)])
        _ = try await queue.receive(consumer: "dead", limit: 10, wait: .zero)
        #expect(try await queue.receive(consumer: "alive", limit: 10, wait: .zero).isEmpty)
        clock.advance(by: .seconds(29))
        #expect(try await queue.claimAbandoned(consumer: "alive", idle: .seconds(30), limit: 10).isEmpty)
        clock.advance(by: .seconds(1))
        let claimed = try await queue.claimAbandoned(consumer: "alive", idle: .seconds(30), limit: 10)
        #expect(claimed.map(\.hint.messageID) == ["m1"])
    }

    @Test func aDeadLetterIsSetAsideAndDone() async throws {
        let queue = MemoryChangeQueue(clock: ManualClock())
        try await queue.enqueue([Self.hint(.updated)])
        let received = try await queue.receive(consumer: "w", limit: 10, wait: .zero)
        try await queue.deadLetter(received[0], reason: "the provider failed")
        #expect(try await queue.length() == 0)
        #expect(queue.deadLetters.map(\.reason) == ["the provider failed"])
    }
}
