public import MailpulseCore

/// Applies one message's change notifications to the store: a deletion without asking the provider, anything
/// else by fetching the message as it is now (so the order and number of notifications do not matter), written
/// under the version guard, then published. A message found in a folder the mirror does not know brings the
/// account's folders in at once, so the page can show it where it is.
public struct ChangeProcessor: Sendable {
    private let store: any MailStore
    private let writer: MessageWriter
    private let folders: MailboxSynchronizer

    /// Creates a processor; `provider` should be rate limited.
    public init(store: any MailStore, provider: any MailReader, tokens: AccessTokenSource, events: any AccountEventPublisher) {
        self.store = store
        self.writer = MessageWriter(store: store, provider: provider, tokens: tokens, events: events)
        self.folders = MailboxSynchronizer(store: store, provider: provider, tokens: tokens, events: events)
    }

    /// Applies the change of one message: `kind` is the strongest change queued for it, `changeKey` the newest
    /// change key a notification carried (a notification whose change key the store holds is a duplicate). Answers
    /// the folders the change touched (where the message was and where it is), whose doorbells should ring.
    @discardableResult
    public func apply(_ messageID: String, of account: AccountID, kind: ChangeHint.Kind, changeKey: String?) async throws -> Set<String> {
        let stored = try await self.store.message(messageID, of: account)
        let was = Set([stored?.mailboxID].compactMap(\.self))
        if kind == .deleted {
            try await self.writer.delete(messageID, of: account, stored: stored)
            return was
        }
        // The store holds the version the notification saw (a duplicate): nothing to fetch.
        if let changeKey, let stored, stored.version.changeKey == changeKey {
            return was
        }
        guard let current = try await self.writer.refresh(messageID, of: account, stored: stored) else { return was }
        if current.mailboxID != stored?.mailboxID,
            try await !self.store.mailboxes(of: account).contains(where: { $0.id == current.mailboxID })
        {
            _ = try await self.folders.refreshFolders(of: account)
        }
        return was.union([current.mailboxID])
    }
}
