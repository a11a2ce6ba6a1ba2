public import Foundation
public import MailpulseCore

/// Reads the content of recent messages as a sync stores them, so that search covers their bodies before anyone opens
/// them (`SYNC_BODIES_DAYS`). A body that cannot be read is left for the first open: the sync never fails on it.
public struct BodyPrefetch: Sendable {
    private let store: any MailStore
    private let opener: any MailOpener
    private let tokens: AccessTokenSource
    private let window: TimeInterval
    private let concurrency: Int

    /// Reads the content of messages received within `window` of now, `concurrency` at a time; `opener` should be
    /// rate limited.
    public init(store: any MailStore, opener: any MailOpener, tokens: AccessTokenSource, window: Duration, concurrency: Int = 4) {
        self.store = store
        self.opener = opener
        self.tokens = tokens
        self.window = window.timeInterval
        self.concurrency = max(1, concurrency)
    }

    /// Reads and keeps the content of the recent ones of `messages` that have none kept yet.
    func fetch(_ messages: [Message], of account: AccountID) async {
        let since = Date(timeIntervalSinceNow: -self.window).millisecondsSince1970
        var pending = messages.filter { $0.receivedAt >= since }.map(\.id)[...]
        guard !pending.isEmpty else { return }
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<self.concurrency {
                guard let id = pending.popFirst() else { break }
                group.addTask { await self.fetch(id, of: account) }
            }
            while await group.next() != nil {
                guard let id = pending.popFirst() else { continue }
                group.addTask { await self.fetch(id, of: account) }
            }
        }
    }

    private func fetch(_ id: String, of account: AccountID) async {
        do {
            guard try await self.store.content(of: id, of: account) == nil else { return }
            let content = try await self.tokens.withAccessToken(for: account) { token in
                try await self.opener.content(of: id, of: account, accessToken: token)
            }
            if let content { _ = try await self.store.saveContent(content, of: id, of: account) }
        } catch {
            // Left for the first open, which reads it again and says why if it still fails.
        }
    }
}
