import Foundation
import Logging
import MailpulseCore
import Redis
import RedisBackplane
import TestSupport
import Testing

@Suite(.enabled(if: TestEnvironment.hasRedis, "needs REDIS_URL (make test provides it)"))
struct RedisChangeQueueTests {
    let client = TestEnvironment.redisClient(maximumConnections: 4)
    let prefix = TestEnvironment.uniquePrefix()
    let account = AccountID.random()

    var queue: RedisChangeQueue { RedisChangeQueue(client: self.client, prefix: self.prefix) }

    func hint(_ kind: ChangeHint.Kind, _ message: String? = "m1", changeKey: String? = "k1") -> ChangeHint {
        ChangeHint(accountID: self.account, subscriptionID: "s1", kind: kind, messageID: message, changeKey: changeKey)
    }

    @Test func aBurstForOneMessageIsOneEntryUntilAWorkerBeginsIt() async throws {
        let queue = self.queue
        try await queue.prepare()
        #expect(try await queue.enqueue(Array(repeating: self.hint(.updated), count: 10)) == 1)
        #expect(try await queue.enqueue([self.hint(.updated, "m2")]) == 1)
        let received = try await queue.receive(consumer: "c1", limit: 10, wait: .milliseconds(100))
        #expect(received.map(\.hint.messageID) == ["m1", "m2"])

        let merged = try await queue.begin(received[0].hint)
        #expect(merged == self.hint(.updated))
        // After begin, a new change of the same message is queued again: it may be newer than the fetch.
        #expect(try await queue.enqueue([self.hint(.updated, changeKey: "k2")]) == 1)
        try await queue.acknowledge(received)
        #expect(try await queue.length() == 1)
    }

    @Test func folderAndAccountHintsWaitOncePerScopeAndComeBackWhole() async throws {
        let queue = self.queue
        try await queue.prepare()
        let missed = ChangeHint(accountID: self.account, subscriptionID: "s1", kind: .missed)
        let hints = [
            ChangeHint.folder("inbox", of: self.account), .folder("inbox", of: self.account), .folder("archive", of: self.account), missed, missed,
        ]
        #expect(try await queue.enqueue(hints) == 3)
        let received = try await queue.receive(consumer: "c1", limit: 10, wait: .milliseconds(100))
        #expect(received.map(\.hint) == [.folder("inbox", of: self.account), .folder("archive", of: self.account), missed])
        _ = try await queue.begin(received[0].hint)
        #expect(try await queue.enqueue([.folder("inbox", of: self.account)]) == 1, "after begin, the folder rings again")
    }

    @Test func deliveriesQueuedTogetherAreCountedEachOnItsOwn() async throws {
        let queue = self.queue
        try await queue.prepare()
        let counts = try await queue.enqueue(groups: [
            [self.hint(.updated), self.hint(.updated, "m2")], [], [self.hint(.updated), self.hint(.updated, "m3")],
        ])
        // The second delivery's m1 joined the first's waiting entry.
        #expect(counts == [2, 0, 1])
        #expect(try await queue.length() == 3)
        #expect(try await queue.enqueue(groups: [[], []]) == [0, 0])
    }

    @Test func aDeletionWinsAndDisagreeingChangeKeysAreDropped() async throws {
        let queue = self.queue
        try await queue.prepare()
        try await queue.enqueue([self.hint(.created, changeKey: "k1"), self.hint(.updated, changeKey: "k2")])
        let received = try await queue.receive(consumer: "c1", limit: 10, wait: .milliseconds(100))
        #expect(try await queue.begin(received[0].hint).changeKey == nil)

        try await queue.enqueue([self.hint(.updated, "m3"), self.hint(.deleted, "m3"), self.hint(.updated, "m3")])
        let next = try await queue.receive(consumer: "c1", limit: 10, wait: .milliseconds(100))
        #expect(next.count == 1)
        #expect(try await queue.begin(next[0].hint).kind == .deleted)
    }

    @Test func pushLifecycleHintsAreNeverCoalesced() async throws {
        let queue = self.queue
        try await queue.prepare()
        let removed = self.hint(.subscriptionRemoved, nil, changeKey: nil)
        #expect(try await queue.enqueue([removed, removed]) == 2)
    }

    @Test func entriesOfADeadConsumerAreClaimedAndDeadLettersKept() async throws {
        let queue = self.queue
        try await queue.prepare()
        try await queue.enqueue([self.hint(.updated)])
        let taken = try await queue.receive(consumer: "dead", limit: 10, wait: .milliseconds(100))
        #expect(taken.count == 1)
        #expect(try await queue.claimAbandoned(consumer: "alive", idle: .seconds(30), limit: 10).isEmpty)
        try await Task.sleep(for: .milliseconds(60))
        let claimed = try await queue.claimAbandoned(consumer: "alive", idle: .milliseconds(50), limit: 10)
        #expect(claimed == taken)

        try await queue.deadLetter(claimed[0], reason: "provider unavailable")
        #expect(try await queue.deadLetterCount() == 1)
        #expect(try await queue.length() == 0)
        #expect(try await queue.claimAbandoned(consumer: "alive", idle: .milliseconds(1), limit: 10).isEmpty)
    }

    @Test func aLostGroupIsMadeAgain() async throws {
        let queue = self.queue
        #expect(try await queue.receive(consumer: "c1", limit: 10, wait: .milliseconds(10)).isEmpty)
        try await queue.enqueue([self.hint(.updated)])
        #expect(try await queue.receive(consumer: "c1", limit: 10, wait: .milliseconds(100)).count == 1)
    }
}
