import Foundation
import MailpulseCore
import Testing

/// The behaviour every ``MailStore`` must have; each test runs once per store kind in ``StoreFactory/all``.
@Suite struct MailStoreContractTests {
    // MARK: Accounts

    @Test(arguments: StoreFactory.all)
    func accountsAreCreatedReadUpdatedAndDeleted(_ factory: StoreFactory) async throws {
        let store = try await factory.make()
        var account = MailFixtures.account()
        try await store.createAccount(account)
        #expect(try await store.account(account.id) == account)
        await #expect(throws: MailStoreError.conflict("")) { try await store.createAccount(account) }

        account.status = .live
        account.identity = AccountIdentity(providerUserID: "u1", displayName: "Ada", address: "ada@example.com")
        account.lastSyncedAt = Date(timeIntervalSince1970: 1_700_000_100)
        account.subscription = AccountSubscription(
            id: "7f105c7d-2dc5-4530-97cd-4e7ae6534c07",
            expiresAt: Date(timeIntervalSince1970: 1_700_600_000),
            notificationURL: "https://mail.example/webhooks/graph"
        )
        try await store.updateAccount(account)
        #expect(try await store.account(account.id) == account)
        account.status = .degraded
        account.subscription = nil
        try await store.updateAccount(account)
        #expect(try await store.account(account.id) == account)

        await #expect(throws: MailStoreError.notFound("")) { try await store.updateAccount(MailFixtures.account()) }
        try await store.deleteAccount(account.id)
        #expect(try await store.account(account.id) == nil)
    }

    @Test(arguments: StoreFactory.all)
    func accountsAreListedInPages(_ factory: StoreFactory) async throws {
        let store = try await factory.make()
        for _ in 0..<5 { try await store.createAccount(MailFixtures.account()) }
        let first = try await store.accounts(after: nil, limit: 3)
        let second = try await store.accounts(after: first.last?.id, limit: 3)
        #expect(first.count == 3 && second.count == 2)
        #expect(Set((first + second).map(\.id)).count == 5)
    }

    @Test(arguments: StoreFactory.all)
    func sealedTokensBelongToTheirAccount(_ factory: StoreFactory) async throws {
        let store = try await factory.make()
        let account = MailFixtures.account()
        try await store.createAccount(account)
        try await store.saveSealedTokens(Data([1, 2, 3]), for: account.id)
        #expect(try await store.sealedTokens(for: account.id) == Data([1, 2, 3]))
        #expect(try await store.sealedTokens(for: .random()) == nil)
        await #expect(throws: MailStoreError.notFound("")) { try await store.saveSealedTokens(Data([9]), for: .random()) }
        try await store.saveSealedTokens(nil, for: account.id)
        #expect(try await store.sealedTokens(for: account.id) == nil)
    }

    @Test(arguments: StoreFactory.all)
    func apiTokenHashesBelongToTheirAccount(_ factory: StoreFactory) async throws {
        let store = try await factory.make()
        let account = MailFixtures.account()
        try await store.createAccount(account)
        #expect(try await store.apiTokenHash(for: account.id) == nil)
        try await store.saveAPITokenHash(Data([7, 7]), for: account.id)
        #expect(try await store.apiTokenHash(for: account.id) == Data([7, 7]))
        #expect(try await store.apiTokenHash(for: .random()) == nil)
        await #expect(throws: MailStoreError.notFound("")) { try await store.saveAPITokenHash(Data([1]), for: .random()) }
    }

    // MARK: Version guard and tombstones

    @Test(arguments: StoreFactory.all)
    func anOlderVersionNeverOverwritesANewerOne(_ factory: StoreFactory) async throws {
        let store = try await factory.make()
        let account = try await MailFixtures.createdAccount(in: store)
        let newer = MailFixtures.message("m1", account: account, subject: "newer", modifiedAt: 2000)
        let older = MailFixtures.message("m1", account: account, subject: "older", modifiedAt: 1000)
        #expect(try await store.upsertMessages([newer]) == WriteOutcome(applied: ["m1"]))
        #expect(try await store.upsertMessages([older]) == WriteOutcome(stale: ["m1"]))
        #expect(try await store.message("m1", of: account)?.subject == "newer")

        // The same version again is harmless, and a newer one wins.
        #expect(try await store.upsertMessages([newer]).applied == ["m1"])
        var newest = MailFixtures.message("m1", account: account, subject: "newest", modifiedAt: 3000, isRead: true)
        newest.mailboxID = "archive"
        #expect(try await store.upsertMessages([newest]).applied == ["m1"])
        #expect(try await store.message("m1", of: account) == newest)
    }

    @Test(arguments: StoreFactory.all)
    func twoVersionsOfOneSequenceAreNotOrderedByArrival(_ factory: StoreFactory) async throws {
        let store = try await factory.make()
        let account = try await MailFixtures.createdAccount(in: store)
        let first = MailFixtures.message("m1", account: account, subject: "first", modifiedAt: 2000)
        var second = MailFixtures.message("m1", account: account, subject: "second", modifiedAt: 2000, isRead: true)
        second.version.changeKey = "another-key"
        _ = try await store.upsertMessages([first])

        // Same sequence, another change key: the store does not guess which is newer and keeps what it has.
        #expect(try await store.upsertMessages([second]) == WriteOutcome(unordered: ["m1"]))
        #expect(try await store.message("m1", of: account) == first)

        // A read made after both settles it, and the same version again is still harmless.
        #expect(try await store.upsertMessages([second], settlingTies: true) == WriteOutcome(applied: ["m1"]))
        #expect(try await store.message("m1", of: account) == second)
        #expect(try await store.upsertMessages([second]) == WriteOutcome(applied: ["m1"]))

        // Settling never lets an older sequence through.
        let older = MailFixtures.message("m1", account: account, subject: "older", modifiedAt: 1000)
        #expect(try await store.upsertMessages([older], settlingTies: true) == WriteOutcome(stale: ["m1"]))
    }

    @Test(arguments: StoreFactory.all)
    func aDeletionCarriesTheVersionItDeleted(_ factory: StoreFactory) async throws {
        let store = try await factory.make()
        let account = try await MailFixtures.createdAccount(in: store)
        let live = MailFixtures.message("m1", account: account, modifiedAt: 3000)
        _ = try await store.upsertMessages([live])
        let deletion = MessageDeletion.of("m1", in: account, stored: live)
        #expect(deletion.version == 3000)
        #expect(try await store.deleteMessages([deletion]).applied == ["m1"])

        // The deleted version, or a tie with it, stays deleted even when settling; the next sequence revives it.
        #expect(try await store.upsertMessages([live], settlingTies: true).stale == ["m1"])
        #expect(try await store.message("m1", of: account) == nil)
        #expect(try await store.upsertMessages([MailFixtures.message("m1", account: account, modifiedAt: 3001)]).applied == ["m1"])
    }

    @Test(arguments: StoreFactory.all)
    func aTombstoneRefusesOlderUpsertsAndYieldsToNewerOnes(_ factory: StoreFactory) async throws {
        let store = try await factory.make()
        let account = try await MailFixtures.createdAccount(in: store)
        _ = try await store.upsertMessages([MailFixtures.message("m1", account: account, modifiedAt: 1000)])
        #expect(try await store.deleteMessages([MessageDeletion(accountID: account, messageID: "m1", version: 2000)]).applied == ["m1"])
        #expect(try await store.message("m1", of: account) == nil)
        #expect(try await store.counts(of: account, mailbox: nil) == MessageCounts(total: 0, unread: 0))

        // A stale page carrying the version from before the deletion cannot resurrect it.
        #expect(try await store.upsertMessages([MailFixtures.message("m1", account: account, modifiedAt: 1500)]).stale == ["m1"])
        #expect(try await store.upsertMessages([MailFixtures.message("m1", account: account, modifiedAt: 2000)]).stale == ["m1"])
        #expect(try await store.message("m1", of: account) == nil)

        // A version made after the deletion is a real change (the message came back) and wins.
        #expect(try await store.upsertMessages([MailFixtures.message("m1", account: account, modifiedAt: 2500)]).applied == ["m1"])
        #expect(try await store.message("m1", of: account)?.version.sequence == 2500)
    }

    @Test(arguments: StoreFactory.all)
    func deletingAnUnknownMessageLeavesATombstone(_ factory: StoreFactory) async throws {
        let store = try await factory.make()
        let account = try await MailFixtures.createdAccount(in: store)
        #expect(try await store.deleteMessages([MessageDeletion(accountID: account, messageID: "ghost", version: 5000)]).applied == ["ghost"])
        #expect(try await store.upsertMessages([MailFixtures.message("ghost", account: account, modifiedAt: 4000)]).stale == ["ghost"])
        #expect(try await store.message("ghost", of: account) == nil)
    }

    @Test(arguments: StoreFactory.all)
    func aDeletionOlderThanTheStoredVersionIsStale(_ factory: StoreFactory) async throws {
        let store = try await factory.make()
        let account = try await MailFixtures.createdAccount(in: store)
        _ = try await store.upsertMessages([MailFixtures.message("m1", account: account, modifiedAt: 5000)])
        #expect(try await store.deleteMessages([MessageDeletion(accountID: account, messageID: "m1", version: 4000)]).stale == ["m1"])
        #expect(try await store.message("m1", of: account) != nil)
    }

    // MARK: Listing

    @Test(arguments: StoreFactory.all)
    func pagesRunNewestFirstAndCoverEveryMessageOnce(_ factory: StoreFactory) async throws {
        let store = try await factory.make()
        let account = try await MailFixtures.createdAccount(in: store)
        // Pairs share a received time, so the id must break ties for the order to be total.
        let messages = (0..<25).map { MailFixtures.message(String(format: "m%02d", $0), account: account, receivedAt: Int64(1000 + $0 / 2)) }
        _ = try await store.upsertMessages(messages.shuffled())

        var seen: [Message] = []
        var cursor: PageCursor?
        repeat {
            let page = try await store.messages(MessageQuery(accountID: account, limit: 4, cursor: cursor))
            #expect(page.messages.count <= 4)
            seen += page.messages
            cursor = page.next
        } while cursor != nil
        let expected = messages.sorted { ($0.receivedAt, $0.id) > ($1.receivedAt, $1.id) }
        #expect(seen.map(\.id) == expected.map(\.id))
    }

    @Test(arguments: StoreFactory.all)
    func paginationIsStableWhileMessagesArrive(_ factory: StoreFactory) async throws {
        let store = try await factory.make()
        let account = try await MailFixtures.createdAccount(in: store)
        let original = (0..<100).map { MailFixtures.message("old\($0)", account: account, receivedAt: Int64(10_000 + $0)) }
        _ = try await store.upsertMessages(original)

        var seen: [String] = []
        var cursor: PageCursor?
        try await withThrowingTaskGroup(of: Void.self) { group in
            // New mail keeps arriving, newer than everything, while the pages are read.
            group.addTask {
                for batch in 0..<20 {
                    let fresh = (0..<5).map {
                        MailFixtures.message("new\(batch)-\($0)", account: account, receivedAt: Int64(50_000 + batch * 5 + $0))
                    }
                    _ = try await store.upsertMessages(fresh)
                }
            }
            repeat {
                let page = try await store.messages(MessageQuery(accountID: account, limit: 7, cursor: cursor))
                seen += page.messages.map(\.id)
                cursor = page.next
            } while cursor != nil
            try await group.waitForAll()
        }
        // Only the first page may include new arrivals; after it, every original message comes exactly once, in order.
        let originalsSeen = seen.filter { $0.hasPrefix("old") }
        #expect(originalsSeen == original.reversed().map(\.id))
        #expect(Set(seen).count == seen.count)
    }

    @Test(arguments: StoreFactory.all)
    func listingByMailboxAndCounting(_ factory: StoreFactory) async throws {
        let store = try await factory.make()
        let account = try await MailFixtures.createdAccount(in: store)
        _ = try await store.upsertMessages([
            MailFixtures.message("a", account: account, mailbox: "inbox", isRead: false),
            MailFixtures.message("b", account: account, mailbox: "inbox", isRead: true),
            MailFixtures.message("c", account: account, mailbox: "archive", isRead: false),
        ])
        let inbox = try await store.messages(MessageQuery(accountID: account, mailboxID: "inbox"))
        #expect(Set(inbox.messages.map(\.id)) == ["a", "b"])
        #expect(try await store.counts(of: account, mailbox: "inbox") == MessageCounts(total: 2, unread: 1))
        #expect(try await store.counts(of: account, mailbox: nil) == MessageCounts(total: 3, unread: 2))
    }

    @Test(arguments: StoreFactory.all)
    func pageSizesOutsideTheLimitsAreRefused(_ factory: StoreFactory) async throws {
        let store = try await factory.make()
        for limit in [0, -1, 1_000_000] {
            await #expect(throws: MailStoreError.invalidInput("")) {
                try await store.messages(MessageQuery(accountID: .random(), limit: limit))
            }
        }
    }

    // MARK: Search

    @Test(arguments: StoreFactory.all)
    func searchMatchesSubjectSenderAndPreview(_ factory: StoreFactory) async throws {
        let store = try await factory.make()
        let account = try await MailFixtures.createdAccount(in: store)
        _ = try await store.upsertMessages([
            MailFixtures.message("s1", account: account, subject: "Quarterly budget review", receivedAt: 3),
            MailFixtures.message(
                "s2",
                account: account,
                subject: "Lunch",
                from: EmailAddress(name: "Grace Hopper", address: "grace@navy.mil"),
                receivedAt: 2
            ),
            MailFixtures.message("s3", account: account, subject: "Hello", receivedAt: 1, preview: "the compiler is ready"),
        ])
        func ids(_ text: String) async throws -> [String] {
            try await store.messages(MessageQuery(accountID: account, text: text)).messages.map(\.id)
        }
        #expect(try await ids("budget") == ["s1"])
        #expect(try await ids("quarterly REVIEW") == ["s1"])
        #expect(try await ids("hopper") == ["s2"])
        #expect(try await ids("grace@navy.mil") == ["s2"])
        #expect(try await ids("compil") == ["s3"])
        #expect(try await ids("nothing-like-this") == [])
        // Query syntax typed by a user is taken as text, never as an error.
        #expect(try await ids("\"budget\" AND (NEAR* OR:") == [])
        #expect(try await ids("   ") == [])

        // A deleted message drops out of search; an edited subject is found by its new words only.
        _ = try await store.deleteMessages([MessageDeletion(accountID: account, messageID: "s1", version: .max)])
        #expect(try await ids("budget") == [])
        _ = try await store.upsertMessages([MailFixtures.message("s2", account: account, subject: "Dinner", modifiedAt: 1_800_000_000_000)])
        #expect(try await ids("lunch") == [])
        #expect(try await ids("dinner") == ["s2"])
    }

    // MARK: Isolation

    @Test(arguments: StoreFactory.all)
    func oneAccountNeverSeesAnothersRows(_ factory: StoreFactory) async throws {
        let store = try await factory.make()
        let alice = MailFixtures.account()
        let bob = MailFixtures.account()
        try await store.createAccount(alice)
        try await store.createAccount(bob)
        _ = try await store.upsertMessages([MailFixtures.message("shared-id", account: alice.id, subject: "alice secret")])
        _ = try await store.upsertMessages([MailFixtures.message("shared-id", account: bob.id, subject: "bob secret", modifiedAt: 1)])
        try await store.upsertMailboxes([Mailbox(accountID: alice.id, id: "inbox", displayName: "Inbox")])
        try await store.saveSyncState(SyncState(accountID: alice.id, scope: .mailbox("inbox"), cursor: "alice-cursor"))

        #expect(try await store.message("shared-id", of: alice.id)?.subject == "alice secret")
        #expect(try await store.message("shared-id", of: bob.id)?.subject == "bob secret")
        #expect(try await store.messages(MessageQuery(accountID: bob.id, text: "alice")).messages.isEmpty)
        #expect(try await store.messages(MessageQuery(accountID: bob.id)).messages.map(\.subject) == ["bob secret"])
        #expect(try await store.counts(of: bob.id, mailbox: nil).total == 1)
        #expect(try await store.mailboxes(of: bob.id).isEmpty)
        #expect(try await store.syncStates(of: bob.id).isEmpty)

        // Bob's deletion and Bob's account removal leave Alice's data alone.
        _ = try await store.deleteMessages([MessageDeletion(accountID: bob.id, messageID: "shared-id", version: .max)])
        try await store.deleteAccount(bob.id)
        #expect(try await store.message("shared-id", of: alice.id)?.subject == "alice secret")
        #expect(try await store.mailboxes(of: alice.id).count == 1)
        #expect(try await store.syncState(.mailbox("inbox"), of: alice.id)?.cursor == "alice-cursor")
    }

    @Test(arguments: StoreFactory.all)
    func deletingAnAccountRemovesEverythingOfIt(_ factory: StoreFactory) async throws {
        let store = try await factory.make()
        let account = MailFixtures.account()
        try await store.createAccount(account)
        _ = try await store.upsertMessages([MailFixtures.message("m1", account: account.id)])
        _ = try await store.deleteMessages([MessageDeletion(accountID: account.id, messageID: "gone", version: 10)])
        try await store.upsertMailboxes([Mailbox(accountID: account.id, id: "inbox", displayName: "Inbox")])
        try await store.saveSyncState(SyncState(accountID: account.id, scope: .folders, cursor: "c"))
        try await store.deleteAccount(account.id)
        #expect(try await store.counts(of: account.id, mailbox: nil).total == 0)
        #expect(try await store.mailboxes(of: account.id).isEmpty)
        #expect(try await store.syncStates(of: account.id).isEmpty)
        // The tombstone went too: an account created again under the id starts clean.
        try await store.createAccount(account)
        #expect(try await store.upsertMessages([MailFixtures.message("gone", account: account.id, modifiedAt: 1)]).applied == ["gone"])
    }

    // MARK: Mailboxes and sync state

    @Test(arguments: StoreFactory.all)
    func mailboxesAreUpsertedListedAndDeleted(_ factory: StoreFactory) async throws {
        let store = try await factory.make()
        let account = try await MailFixtures.createdAccount(in: store)
        var inbox = Mailbox(accountID: account, id: "f1", displayName: "Inbox", wellKnownName: "inbox", totalCount: 10, unreadCount: 2)
        let child = Mailbox(accountID: account, id: "f2", parentID: "f1", displayName: "Receipts")
        try await store.upsertMailboxes([inbox, child])
        inbox.unreadCount = 0
        try await store.upsertMailboxes([inbox])
        #expect(try await store.mailboxes(of: account) == [inbox, child])
        try await store.deleteMailbox("f2", of: account)
        #expect(try await store.mailboxes(of: account) == [inbox])
    }

    @Test(arguments: StoreFactory.all)
    func syncStateKeepsCursorAndCheckpointPerScope(_ factory: StoreFactory) async throws {
        let store = try await factory.make()
        let account = try await MailFixtures.createdAccount(in: store)
        #expect(try await store.syncState(.mailbox("inbox"), of: account) == nil)
        var state = SyncState(
            accountID: account,
            scope: .mailbox("inbox"),
            checkpoint: "https://graph/next?page=2",
            pagesStored: 1,
            messagesStored: 250
        )
        try await store.saveSyncState(state)
        try await store.saveSyncState(SyncState(accountID: account, scope: .folders, cursor: "folders-delta"))
        #expect(try await store.syncState(.mailbox("inbox"), of: account) == state)
        state.checkpoint = nil
        state.cursor = "https://graph/delta?token=abc"
        state.completedAt = Date(timeIntervalSince1970: 1_700_000_500)
        try await store.saveSyncState(state)
        #expect(try await store.syncState(.mailbox("inbox"), of: account) == state)
        #expect(try await store.syncStates(of: account).map(\.scope) == [.folders, .mailbox("inbox")])
    }

    // MARK: Volume

    @Test(arguments: StoreFactory.all)
    func aBatchOfTenThousandMessages(_ factory: StoreFactory) async throws {
        let store = try await factory.make()
        let account = try await MailFixtures.createdAccount(in: store)
        let batch = (0..<10_000).map { MailFixtures.message("bulk\($0)", account: account, receivedAt: Int64($0), isRead: $0 % 4 == 0) }
        let outcome = try await store.upsertMessages(batch)
        #expect(outcome.applied.count == 10_000 && outcome.stale.isEmpty)
        #expect(try await store.counts(of: account, mailbox: nil) == MessageCounts(total: 10_000, unread: 7_500))
        #expect(try await store.messages(MessageQuery(accountID: account, limit: 1)).messages.first?.id == "bulk9999")
        #expect(try await store.messages(MessageQuery(accountID: account, text: "analytical", limit: 1000)).messages.count == 1000)
    }
}
