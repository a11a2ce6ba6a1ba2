public import MailpulseCore

/// Applies one message's change notifications to the store: a deletion without asking the provider, anything
/// else by fetching the message as it is now (so the order and number of notifications do not matter), written
/// under the version guard, then published.
public struct ChangeProcessor: Sendable {
    private let store: any MailStore
    private let writer: MessageWriter

    /// Creates a processor; `provider` should be rate limited.
    public init(store: any MailStore, provider: any MailReader, tokens: AccessTokenSource, events: any AccountEventPublisher) {
        self.store = store
        self.writer = MessageWriter(store: store, provider: provider, tokens: tokens, events: events)
    }

    /// Applies the change of one message: `kind` is the strongest change queued for it, `changeKey` the newest
    /// change key a notification carried (a notification whose change key the store holds is a duplicate).
    public func apply(_ messageID: String, of account: AccountID, kind: ChangeHint.Kind, changeKey: String?) async throws {
        let stored = try await self.store.message(messageID, of: account)
        if kind == .deleted {
            try await self.writer.delete(messageID, of: account, stored: stored)
            return
        }
        // The store holds the version the notification saw (a duplicate): nothing to fetch.
        if let changeKey, let stored, stored.version.changeKey == changeKey {
            return
        }
        try await self.writer.refresh(messageID, of: account, stored: stored)
    }
}
