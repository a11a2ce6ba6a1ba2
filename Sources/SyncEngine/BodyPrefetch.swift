public import Foundation
public import MailpulseCore

/// Reads the content of recent messages as a sync stores them, so that search covers their bodies before anyone opens
/// them (`SYNC_BODIES_DAYS`). A body that cannot be read is left for the first open: the sync never fails on it.
public struct BodyPrefetch: Sendable {
    private let contents: MessageContentSource
    private let window: TimeInterval
    private let concurrency: Int

    /// Reads the content of messages received within `window` of now, `concurrency` at a time, through `contents`.
    public init(contents: MessageContentSource, window: Duration, concurrency: Int = 4) {
        self.contents = contents
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
        // Left for the first open, which reads it again and says why if it still fails.
        _ = try? await self.contents.content(of: id, of: account)
    }
}
