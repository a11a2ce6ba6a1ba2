internal import IMAP
public import MailpulseCore

/// Push over watched connections: NOTIFY (RFC 5465) tells one connection about every folder; without it the inbox and
/// then the special-use folders are watched with IDLE, one connection each, and the folders left unwatched get a delta
/// round every ``IMAPProviderConfiguration/unwatchedRoundInterval``.
extension IMAPMailProvider {
    public func watch(_ account: AccountID, accessToken: String, hints: @escaping @Sendable ([ChangeHint]) async -> Void) async throws {
        let credentials = try Self.credentials(accessToken)
        let session: IMAPSession
        do {
            session = try await IMAPSession.open(credentials, configuration: self.configuration, budget: self.pool.budget)
        } catch let error as IMAPError {
            throw Self.providerError(error)
        }
        defer { session.close() }
        do {
            if session.capabilities.contains("NOTIFY") {
                try await self.watchEveryFolder(session, account: account, hints: hints)
            } else {
                try await self.watchWithIdle(session, account: account, hints: hints)
            }
        } catch let error as IMAPError {
            throw Self.providerError(error)
        }
    }

    private func watchEveryFolder(_ session: IMAPSession, account: AccountID, hints: @Sendable ([ChangeHint]) async -> Void) async throws {
        var known = Set(try await session.connection.mailboxes().filter(\.isSelectable).map(\.name))
        try await session.connection.notifyPersonalMailboxes()
        // Watching from now on: whatever changed before (while no one watched) is found by one round of every folder.
        await hints([ChangeHint(accountID: account, kind: .missed)])
        while !Task.isCancelled {
            var folders: Set<String> = []
            var folderListChanged = false
            for response in try await session.connection.idle(for: self.configuration.idleRenewal) {
                switch response {
                case .mailboxStatus(let name, _): folders.insert(IMAPFolderID.of(ModifiedUTF7.decode(name) ?? name))
                case .list(let listing):
                    // Dovecot also lists folders that did not change (the inbox made on first use): only a folder made,
                    // renamed or deleted changes the list.
                    guard !listing.isSelectable || !known.contains(listing.name) else { continue }
                    folderListChanged = true
                    if listing.isSelectable { known.insert(listing.name) } else { known.remove(listing.name) }
                default: break
                }
            }
            if folderListChanged {
                await hints([ChangeHint(accountID: account, kind: .missed)])
            } else if !folders.isEmpty {
                await hints(folders.sorted().map { ChangeHint.folder($0, of: account) })
            }
        }
    }

    /// IDLE on the inbox, then on the special-use folders, one connection each within
    /// ``IMAPProviderConfiguration/watchConnections`` (the first is `session`); the folders left unwatched get a delta
    /// round every ``IMAPProviderConfiguration/unwatchedRoundInterval``. Any connection lost ends the whole watch.
    private func watchWithIdle(_ session: IMAPSession, account: AccountID, hints: @escaping @Sendable ([ChangeHint]) async -> Void) async throws {
        let folders = Self.watchOrder(try await session.connection.mailboxes())
        var watchers: [(folder: String, session: IMAPSession)] = []
        defer {
            for watcher in watchers.dropFirst() { watcher.session.close() }
        }
        for folder in folders.prefix(self.configuration.watchConnections) {
            let own =
                watchers.isEmpty
                ? session : try await IMAPSession.open(session.credentials, configuration: self.configuration, budget: self.pool.budget)
            watchers.append((folder, own))
            _ = try await own.connection.select(folder, readOnly: true)
        }
        // Every watched folder is selected: what changes from now on is reported when its IDLE starts, if not before.
        // What changed until now is found by one round of every folder.
        await hints([ChangeHint(accountID: account, kind: .missed)])
        let unwatched = folders.count > watchers.count
        try await withThrowingTaskGroup(of: Void.self) { group in
            for watcher in watchers {
                group.addTask { try await self.idle(on: watcher.folder, watcher.session, account: account, hints: hints) }
            }
            if unwatched {
                group.addTask {
                    while true {
                        try await Task.sleep(for: self.configuration.unwatchedRoundInterval)
                        await hints([ChangeHint(accountID: account, kind: .missed)])
                    }
                }
            }
            // The first to end (a lost connection) ends the watch; the caller reconnects.
            try await group.next()
            group.cancelAll()
        }
    }

    /// The folders to watch, in order: the inbox, then the special-use ones (sent, drafts, archive, junk, trash…),
    /// then the rest, by name as people read it.
    static func watchOrder(_ listings: [IMAPMailboxListing]) -> [String] {
        let ranked = listings.filter(\.isSelectable).enumerated().map { index, listing in
            let name = listing.decodedName
            let specialUse = listing.attributes.contains { $0.lowercased() != "\\all" && Self.wellKnownNames[$0.lowercased()] != nil }
            return (rank: name.uppercased() == "INBOX" ? 0 : specialUse ? 1 : 2, index: index, name: name)
        }
        return ranked.sorted { ($0.rank, $0.index) < ($1.rank, $1.index) }.map(\.name)
    }

    /// IDLE on one selected folder, re-issued every ``IMAPProviderConfiguration/idleRenewal``; each report of a change becomes
    /// a delta round of the folder.
    private func idle(on folder: String, _ session: IMAPSession, account: AccountID, hints: @Sendable ([ChangeHint]) async -> Void) async throws {
        let id = IMAPFolderID.of(folder)
        while !Task.isCancelled {
            let changes = try await session.connection.idle(for: self.configuration.idleRenewal)
            let changed = changes.contains { response in
                switch response {
                case .exists, .expunge, .fetch, .vanished: true
                default: false
                }
            }
            if changed { await hints([ChangeHint.folder(id, of: account)]) }
        }
    }
}
