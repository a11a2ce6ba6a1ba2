internal import Foundation
public import MailpulseCore

/// Brings the store level with the provider by delta rounds: every folder, inbox first, each page stored in one
/// batch and then its checkpoint saved, so an interrupted sync resumes where it stopped.
///
/// A message reported as gone from a folder is not deleted on that word alone: moves arrive as a removal in one
/// folder and an addition in another, in either order. If the store still has it in that folder, the provider is
/// asked where it is now; only a message the provider no longer has is deleted. A folder the provider no longer lists
/// leaves the mirror the same way: its messages are stored where the provider has them now (or become tombstones),
/// then the folder goes.
public struct MailboxSynchronizer: Sendable {
    private let store: any MailStore
    private let provider: any MailReader
    private let tokens: AccessTokenSource
    private let events: any AccountEventPublisher
    private let writer: MessageWriter

    /// Folders synced side by side: one folder's pages are fetched and stored one after another, which leaves a core
    /// of a two-core machine idle half the time.
    static let foldersAtOnce = 2

    /// How often one round may start a folder over after its cursor expired.
    static let maximumRestarts = 3

    private let bodies: BodyPrefetch?

    /// Creates a synchronizer; `provider` should be rate limited. With `bodies`, each stored page's recent messages
    /// have their content read too.
    public init(
        store: any MailStore,
        provider: any MailReader,
        tokens: AccessTokenSource,
        events: any AccountEventPublisher,
        bodies: BodyPrefetch? = nil
    ) {
        self.store = store
        self.provider = provider
        self.tokens = tokens
        self.events = events
        self.writer = MessageWriter(store: store, provider: provider, tokens: tokens, events: events)
        self.bodies = bodies
    }

    /// Syncs every folder of an account. The initial sync shows `syncing` while it runs; a backfill keeps the
    /// status. After it, the account is `live` when the provider pushes its changes and `degraded` (polled) when not.
    public func sync(_ account: AccountID, initial: Bool = false) async throws {
        if initial {
            try await self.setStatus(account, from: [.linked, .live, .degraded, .syncing], synced: false) { _ in .syncing }
        }
        let mailboxes = try await self.refreshFolders(of: account)
        try await self.syncFolders(mailboxes, of: account)
        try await self.setStatus(account, from: [.linked, .syncing, .live, .degraded], synced: true) { $0.syncedStatus }
    }

    /// Runs delta rounds of some folders of an account (their doorbells rang), after reading the folder list, so
    /// folders created, renamed, moved or deleted at the provider show too.
    public func sync(_ folders: Set<String>, of account: AccountID) async throws {
        let mailboxes = try await self.refreshFolders(of: account)
        try await self.syncFolders(mailboxes.filter { folders.contains($0.id) }, of: account)
    }

    /// Reads the account's folders from the provider and makes the mirror's list the same: new and changed folders
    /// stored, folders the provider no longer lists reconciled away. Answers the folders.
    @discardableResult
    public func refreshFolders(of account: AccountID) async throws -> [Mailbox] {
        let mailboxes = try await self.tokens.withAccessToken(for: account) { token in
            try await self.provider.mailboxes(of: account, accessToken: token)
        }
        let known = Set(try await self.store.mailboxes(of: account))
        let changed = mailboxes.filter { !known.contains($0) }
        try await self.store.upsertMailboxes(changed)
        await self.events.publish(changed.map(AccountEvent.mailboxUpserted), for: account)
        try await self.removeFolders(notIn: mailboxes, of: account)
        return mailboxes
    }

    /// Delta rounds of folders, inbox first, a few side by side.
    private func syncFolders(_ mailboxes: [Mailbox], of account: AccountID) async throws {
        let ordered = mailboxes.sorted {
            ($0.wellKnownName == "inbox" ? 0 : 1, $0.displayName) < ($1.wellKnownName == "inbox" ? 0 : 1, $1.displayName)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            var waiting = ordered.makeIterator()
            for _ in 0..<Self.foldersAtOnce {
                if let folder = waiting.next() { group.addTask { try await self.syncFolder(folder, of: account) } }
            }
            while try await group.next() != nil {
                if let folder = waiting.next() { group.addTask { try await self.syncFolder(folder, of: account) } }
            }
        }
    }

    /// Runs one delta round of a folder from its checkpoint, or its cursor, or the start.
    public func syncFolder(_ folder: Mailbox, of account: AccountID) async throws {
        let mailbox = folder.id
        var state = try await self.store.syncState(.mailbox(mailbox), of: account) ?? SyncState(accountID: account, scope: .mailbox(mailbox))
        var link = state.checkpoint ?? state.cursor
        var seen = link == nil ? try await self.sweepSet(mailbox, of: account) : nil
        var restarts = 0
        var readAhead: Task<MessageChanges, any Error>?
        // A page read ahead and not awaited (the folder failed or was cancelled) is not left running.
        defer { readAhead?.cancel() }
        while true {
            let changes: MessageChanges
            do {
                if let page = readAhead {
                    readAhead = nil
                    changes = try await page.value
                } else {
                    changes = try await self.page(link, of: mailbox, account: account)
                }
            } catch MailProviderError.cursorExpired {
                // A provider that expires even fresh cursors would restart the folder forever.
                restarts += 1
                guard restarts <= Self.maximumRestarts else { throw MailProviderError.cursorExpired }
                // Start the folder over; what the full round does not return is gone and is swept at its end.
                state = SyncState(accountID: account, scope: .mailbox(mailbox))
                try await self.store.saveSyncState(state)
                link = nil
                seen = try await self.sweepSet(mailbox, of: account)
                continue
            }
            // The next page is fetched while this one is stored: the provider's latency and the store's writes overlap.
            if let next = changes.nextLink {
                readAhead = Task { try await self.page(next, of: mailbox, account: account) }
            }
            try await self.writer.write(changes.upserts, of: account)
            await self.bodies?.fetch(changes.upserts, of: account)
            try await self.reconcile(changes.removed, leaving: mailbox, of: account)
            seen?.formUnion(changes.upserts.map(\.id))
            state.pagesStored += 1
            state.messagesStored += changes.upserts.count
            await self.events.publish(
                .syncProgress(
                    SyncProgress(
                        mailboxID: mailbox,
                        displayName: folder.displayName,
                        pages: state.pagesStored,
                        messages: state.messagesStored,
                        done: changes.nextLink == nil
                    )
                ),
                for: account
            )
            if let next = changes.nextLink {
                // A round that must sweep at its end keeps no checkpoint: resumed after a crash it would not know
                // what its first pages returned and could not sweep. Interrupted, it starts over (rare: a cursor expired
                // over a folder the mirror had).
                if seen == nil {
                    state.checkpoint = next
                    try await self.store.saveSyncState(state)
                }
                link = next
                continue
            }
            if let seen {
                try await self.sweep(mailbox, of: account, keeping: seen)
            }
            state.checkpoint = nil
            state.cursor = changes.cursor ?? state.cursor
            state.completedAt = Date()
            state.pagesStored = 0
            state.messagesStored = 0
            try await self.store.saveSyncState(state)
            return
        }
    }

    /// One delta page of a folder: from `link`, or the start of a round when it is `nil`.
    private func page(_ link: String?, of mailbox: String, account: AccountID) async throws -> MessageChanges {
        try await self.tokens.withAccessToken(for: account) { token in
            try await self.provider.messageChanges(of: account, mailbox: mailbox, link: link, accessToken: token)
        }
    }

    /// Messages that left a folder: moved ones are stored where they are now, deleted ones become tombstones.
    private func reconcile(_ removed: [String], leaving mailbox: String, of account: AccountID) async throws {
        for id in removed {
            guard let stored = try await self.store.message(id, of: account), stored.mailboxID == mailbox else { continue }
            try await self.writer.refresh(id, of: account, stored: stored)
        }
    }

    /// Folders the mirror has and the provider no longer lists (the provider's list is whole: a folder delta from the
    /// start): their messages are reconciled one by one, then the folder is deleted.
    private func removeFolders(notIn current: [Mailbox], of account: AccountID) async throws {
        let listed = Set(current.map(\.id))
        for folder in try await self.store.mailboxes(of: account) where !listed.contains(folder.id) {
            var cursor: PageCursor?
            repeat {
                let page = try await self.store.messages(MessageQuery(accountID: account, mailboxID: folder.id, limit: 500, cursor: cursor))
                try await self.reconcile(page.messages.map(\.id), leaving: folder.id, of: account)
                cursor = page.next
            } while cursor != nil
            try await self.store.deleteMailbox(folder.id, of: account)
            await self.events.publish(.mailboxDeleted(id: folder.id), for: account)
        }
    }

    /// What a full round starting now collects for its sweep: the ids it sees, or `nil` when the store has nothing in
    /// the folder. Then nothing can have gone missing, and a first sync does not read back every message it wrote;
    /// what notifications store meanwhile is newer than the round and comes with the next one.
    private func sweepSet(_ mailbox: String, of account: AccountID) async throws -> Set<String>? {
        let stored = try await self.store.messages(MessageQuery(accountID: account, mailboxID: mailbox, limit: 1))
        return stored.messages.isEmpty ? nil : []
    }

    /// After a full round: a message the store has in the folder but the round did not return is reconciled too.
    private func sweep(_ mailbox: String, of account: AccountID, keeping seen: Set<String>) async throws {
        var cursor: PageCursor?
        var missing: [String] = []
        repeat {
            let page = try await self.store.messages(MessageQuery(accountID: account, mailboxID: mailbox, limit: 1000, cursor: cursor))
            missing += page.messages.map(\.id).filter { !seen.contains($0) }
            cursor = page.next
        } while cursor != nil
        try await self.reconcile(missing, leaving: mailbox, of: account)
    }

    /// Moves the account to the status `next` picks for it, only from the given ones, so a sync never hides
    /// `reauth_required`.
    private func setStatus(
        _ id: AccountID,
        from allowed: Set<AccountStatus>,
        synced: Bool,
        to next: (Account) -> AccountStatus
    ) async throws {
        guard var account = try await self.store.account(id), allowed.contains(account.status) else { return }
        let status = next(account)
        account.status = status
        account.updatedAt = Date()
        if synced { account.lastSyncedAt = account.updatedAt }
        try await self.store.updateAccount(account)
        await self.events.publish(.accountStatus(status), for: id)
    }
}
