internal import Foundation
internal import Logging
internal import MailpulseCore
internal import Metrics
internal import ServiceLifecycle
internal import Synchronization

/// A node's one feed of every account's events (``AccountEventFeed``), fanned out to the node's WebSockets by account.
/// Each listener has its own bounded queue, so a slow page drops its own oldest events (and recovers them from the
/// log) without holding up the others. When an account is deleted on any node, the feed says so and every node ends
/// that account's streams, closing its sockets.
final class LiveEventHub: Service, Sendable {
    private struct Listeners {
        var subscribed = false
        var byAccount: [AccountID: [UUID: AsyncStream<AccountEventFeedUpdate>.Continuation]] = [:]
    }

    private let feed: any AccountEventFeed
    private let queueLength: Int
    private let listeners = Mutex(Listeners())

    /// Creates a hub of `feed`, each listener queueing at most `queueLength` events.
    init(feed: any AccountEventFeed, queueLength: Int) {
        self.feed = feed
        self.queueLength = queueLength
    }

    func run() async throws {
        for await update in self.feed.updates().cancelOnGracefulShutdown() {
            switch update {
            case .subscribed:
                // Subscribed (again, after a Redis restart): every listener fills its gap from the log.
                let all = self.listeners.withLock { listeners in
                    listeners.subscribed = true
                    return listeners.byAccount.values.flatMap(\.values)
                }
                for continuation in all { continuation.yield(.subscribed) }
            case .accountDeleted(let account):
                self.disconnect(account)
            case .published(let account, _):
                let targets = self.listeners.withLock { Array(($0.byAccount[account] ?? [:]).values) }
                for continuation in targets { continuation.yield(update) }
            }
        }
        let all = self.listeners.withLock { listeners in
            defer { listeners = Listeners() }
            return listeners.byAccount.values.flatMap(\.values)
        }
        for continuation in all { continuation.finish() }
    }

    /// How many streams of the account are open on this node.
    func listenerCount(of account: AccountID) -> Int {
        self.listeners.withLock { $0.byAccount[account]?.count ?? 0 }
    }

    /// Ends every stream of the account on this node (it was deleted): its sockets close.
    func disconnect(_ account: AccountID) {
        let streams = self.listeners.withLock { $0.byAccount.removeValue(forKey: account).map { Array($0.values) } ?? [] }
        for continuation in streams { continuation.finish() }
    }

    /// The account's events from now on, starting with `.subscribed` once the hub is subscribed; ends when the
    /// consumer stops iterating or the hub stops.
    func events(of account: AccountID) -> AsyncStream<AccountEventFeedUpdate> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: AccountEventFeedUpdate.self,
            bufferingPolicy: .bufferingNewest(self.queueLength)
        )
        let id = UUID()
        let subscribed = self.listeners.withLock { listeners in
            listeners.byAccount[account, default: [:]][id] = continuation
            return listeners.subscribed
        }
        let clients = Meter(label: "mailpulse_websocket_clients")
        clients.increment()
        continuation.onTermination = { [weak self] _ in
            clients.decrement()
            self?.listeners.withLock { listeners in
                listeners.byAccount[account]?[id] = nil
                if listeners.byAccount[account]?.isEmpty == true { listeners.byAccount[account] = nil }
            }
        }
        if subscribed { continuation.yield(.subscribed) }
        return stream
    }
}
