public import MailpulseCore

/// Writes what the provider said of messages into the store and publishes what changed, settling versions of unknown
/// order (the same sequence with another change key) by reading those messages again: what the provider answers
/// after both writes is current, whichever landed first.
public struct MessageWriter: Sendable {
    private let store: any MailStore
    private let provider: any MailReader
    private let tokens: AccessTokenSource
    private let events: any AccountEventPublisher

    /// Creates a writer; `provider` should be rate limited.
    public init(store: any MailStore, provider: any MailReader, tokens: AccessTokenSource, events: any AccountEventPublisher) {
        self.store = store
        self.provider = provider
        self.tokens = tokens
        self.events = events
    }

    /// Writes messages of one account under the version guard and publishes the ones applied.
    public func write(_ messages: [Message], of account: AccountID) async throws {
        guard !messages.isEmpty else { return }
        let outcome = try await self.store.upsertMessages(messages)
        await self.publish(messages, applied: outcome.applied, of: account)
        for id in outcome.unordered {
            try await self.reread(id, of: account)
        }
    }

    /// Makes a message a tombstone of the version the store holds, and publishes it when the store had it live.
    public func delete(_ id: String, of account: AccountID, stored: Message?) async throws {
        let outcome = try await self.store.deleteMessages([.of(id, in: account, stored: stored)])
        if stored != nil, !outcome.applied.isEmpty {
            await self.events.publish(.messageDeleted(id: id), for: account)
        }
    }

    /// Reads a message from the provider and writes it as it is now, or deletes it when the provider no longer has it;
    /// answers the message as read (`nil`: gone).
    @discardableResult
    public func refresh(_ id: String, of account: AccountID, stored: Message?) async throws -> Message? {
        guard let current = try await self.current(id, of: account) else {
            try await self.delete(id, of: account, stored: stored)
            return nil
        }
        try await self.write([current], of: account)
        return current
    }

    /// A tie settled: this read comes after both versions were written, so it is current and replaces the stored one.
    private func reread(_ id: String, of account: AccountID) async throws {
        guard let current = try await self.current(id, of: account) else {
            try await self.delete(id, of: account, stored: try await self.store.message(id, of: account))
            return
        }
        let outcome = try await self.store.upsertMessages([current], settlingTies: true)
        await self.publish([current], applied: outcome.applied, of: account)
    }

    private func current(_ id: String, of account: AccountID) async throws -> Message? {
        try await self.tokens.withAccessToken(for: account) { token in
            try await self.provider.message(id, of: account, accessToken: token)
        }
    }

    private func publish(_ messages: [Message], applied: [String], of account: AccountID) async {
        let applied = Set(applied)
        await self.events.publish(messages.filter { applied.contains($0.id) }.map(AccountEvent.messageUpserted), for: account)
    }
}
