internal import IMAP
public import MailpulseCore

/// Push over a watched connection: NOTIFY (RFC 5465) tells one connection about every folder; without it the inbox
/// is watched with IDLE and the other folders get a delta round every ``IMAPProviderConfiguration/unwatchedRoundInterval``.
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
                try await self.watchInbox(session, account: account, hints: hints)
            }
        } catch let error as IMAPError {
            throw Self.providerError(error)
        }
    }

    private func watchEveryFolder(_ session: IMAPSession, account: AccountID, hints: @Sendable ([ChangeHint]) async -> Void) async throws {
        try await session.connection.notifyPersonalMailboxes()
        // Watching from now on: whatever changed before (while no one watched) is found by one round of every folder.
        await hints([ChangeHint(accountID: account, kind: .missed)])
        while !Task.isCancelled {
            var folders: Set<String> = []
            var folderListChanged = false
            for response in try await session.connection.idle(for: self.configuration.idleRenewal) {
                switch response {
                case .mailboxStatus(let name, _): folders.insert(IMAPFolderID.of(ModifiedUTF7.decode(name) ?? name))
                case .list: folderListChanged = true
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

    private func watchInbox(_ session: IMAPSession, account: AccountID, hints: @Sendable ([ChangeHint]) async -> Void) async throws {
        _ = try await session.connection.select("INBOX", readOnly: true)
        await hints([ChangeHint(accountID: account, kind: .missed)])
        let inbox = IMAPFolderID.of("INBOX")
        let interval = self.configuration.unwatchedRoundInterval
        var lastRound = ContinuousClock.now
        while !Task.isCancelled {
            let untilRound = interval - (ContinuousClock.now - lastRound)
            let changes = try await session.connection.idle(for: max(.seconds(1), min(self.configuration.idleRenewal, untilRound)))
            let inboxChanged = changes.contains { response in
                switch response {
                case .exists, .expunge, .fetch, .vanished: true
                default: false
                }
            }
            if ContinuousClock.now - lastRound >= interval {
                lastRound = .now
                // Every folder but the inbox is unwatched: a delta round of each (the inbox's too costs one round).
                await hints([ChangeHint(accountID: account, kind: .missed)])
            } else if inboxChanged {
                await hints([ChangeHint.folder(inbox, of: account)])
            }
        }
    }
}
