public import MailpulseCore
public import Redis

/// ``AccountEventFeed`` on Redis pub/sub: one pattern subscription to every account's channel (a single PSUBSCRIBE per
/// node), resubscribed by the subscriber after a Redis restart.
public struct RedisAccountEventFeed: AccountEventFeed {
    private let subscriber: RedisSubscriber
    private let channelPrefix: String

    /// A feed of the channels `<channelPrefix><account id>` (``RedisAccountEventPublisher/channelPrefix``).
    public init(subscriber: RedisSubscriber, channelPrefix: String) {
        self.subscriber = subscriber
        self.channelPrefix = channelPrefix
    }

    public func updates() -> AsyncStream<AccountEventFeedUpdate> {
        let messages = self.subscriber.subscribe(toPatterns: [self.channelPrefix + "*"])
        let prefix = self.channelPrefix
        return AsyncStream { continuation in
            let task = Task {
                for await message in messages {
                    switch message {
                    case .subscribed:
                        continuation.yield(.subscribed)
                    case .message(let channel, let payload):
                        guard channel.hasPrefix(prefix), let account = AccountID(String(channel.dropFirst(prefix.count))) else { continue }
                        continuation.yield(
                            payload == RedisAccountEventPublisher.accountDeletedMessage ? .accountDeleted(account) : .published(account, payload)
                        )
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
