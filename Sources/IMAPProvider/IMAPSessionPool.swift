internal import IMAP
internal import MailpulseCore

/// The open sessions of every account on this node: at most `connectionsPerAccount` busy per account (more readers
/// wait their turn), and an unused session kept a while for the account's next read, so a sync's pages share one
/// sign-in.
actor IMAPSessionPool {
    private struct Idle {
        var session: IMAPSession
        var since: ContinuousClock.Instant
    }

    private struct Slot {
        var busy = 0
        var idle: [Idle] = []
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let configuration: IMAPProviderConfiguration
    /// Every connection of this node to one server, the pool's and the watchers', counts against it.
    nonisolated let budget: IMAPServerBudget
    private var slots: [AccountID: Slot] = [:]

    init(configuration: IMAPProviderConfiguration) {
        self.configuration = configuration
        self.budget = IMAPServerBudget(limit: configuration.connectionsPerServer)
    }

    /// Runs `body` with a session of `account` signed in with `credentials`. A kept session that turns out closed
    /// (the server dropped it while unused) is replaced once; a session whose command failed is not kept.
    nonisolated func withSession<T: Sendable>(
        _ account: AccountID,
        _ credentials: ServerCredentials,
        _ body: @Sendable (IMAPSession) async throws -> T
    ) async throws -> T {
        var (session, reused) = try await self.checkOut(account, credentials)
        while true {
            do {
                let result = try await body(session)
                await self.checkIn(session, of: account, keep: true)
                return result
            } catch let error as IMAPError where reused && Self.isConnectionLost(error) {
                await self.checkIn(session, of: account, keep: false)
                (session, reused) = try await self.checkOut(account, credentials, reuse: false)
            } catch {
                await self.checkIn(session, of: account, keep: Self.keepsSession(after: error))
                throw error
            }
        }
    }

    private func checkOut(_ account: AccountID, _ credentials: ServerCredentials, reuse: Bool = true) async throws -> (IMAPSession, Bool) {
        while self.slots[account, default: Slot()].busy >= self.configuration.connectionsPerAccount {
            await withCheckedContinuation { self.slots[account, default: Slot()].waiting.append($0) }
        }
        self.slots[account, default: Slot()].busy += 1
        let now = ContinuousClock.now
        while reuse, let kept = self.slots[account]?.idle.popLast() {
            if kept.session.credentials == credentials, now - kept.since < self.configuration.idleConnectionLifetime {
                return (kept.session, true)
            }
            kept.session.close()
        }
        do {
            return (try await IMAPSession.open(credentials, configuration: self.configuration, budget: self.budget), false)
        } catch {
            self.release(account)
            throw error
        }
    }

    private func checkIn(_ session: IMAPSession, of account: AccountID, keep: Bool) {
        if keep {
            self.slots[account, default: Slot()].idle.append(Idle(session: session, since: .now))
            let lifetime = self.configuration.idleConnectionLifetime
            Task { [weak self] in
                try? await Task.sleep(for: lifetime)
                await self?.closeExpired(account)
            }
        } else {
            session.close()
        }
        self.release(account)
    }

    private func release(_ account: AccountID) {
        self.slots[account, default: Slot()].busy -= 1
        if var slot = self.slots[account], !slot.waiting.isEmpty {
            slot.waiting.removeFirst().resume()
            self.slots[account] = slot
        } else if let slot = self.slots[account], slot.busy == 0, slot.idle.isEmpty {
            self.slots[account] = nil
        }
    }

    private func closeExpired(_ account: AccountID) {
        guard var slot = self.slots[account] else { return }
        let now = ContinuousClock.now
        slot.idle.removeAll { kept in
            guard now - kept.since >= self.configuration.idleConnectionLifetime else { return false }
            kept.session.close()
            return true
        }
        self.slots[account] = slot.busy == 0 && slot.idle.isEmpty && slot.waiting.isEmpty ? nil : slot
    }

    /// Whether the connection itself failed (rather than one command).
    private static func isConnectionLost(_ error: IMAPError) -> Bool {
        switch error {
        case .closed, .timedOut: true
        default: false
        }
    }

    /// A command the server refused leaves the connection usable; anything else leaves it in an unknown state.
    private static func keepsSession(after error: any Error) -> Bool {
        if case IMAPError.refused = error { return true }
        return false
    }
}
