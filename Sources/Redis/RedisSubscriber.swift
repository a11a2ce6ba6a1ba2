internal import Foundation
public import Logging
internal import Synchronization

/// Subscribes to Redis pub/sub channels (or channel patterns) on a dedicated connection read by a dedicated thread.
///
/// The thread waits for replies with `poll` in short slices, so ending the subscription is noticed within
/// a quarter of a second; a lost connection is reopened with backoff and the channels subscribed again.
public struct RedisSubscriber: Sendable {
    private let url: RedisURL
    private let timeout: Duration
    private let logger: Logger

    /// Creates a subscriber for the server at `url`.
    public init(url: RedisURL, timeout: Duration = .seconds(5), logger: Logger) {
        self.url = url
        self.timeout = timeout
        self.logger = logger
    }

    /// The events of a subscription to `channels`, until the consumer stops iterating.
    public func subscribe(to channels: [String]) -> AsyncStream<RedisSubscriptionEvent> {
        self.start(["SUBSCRIBE"] + channels.map { RedisArgument($0) }, expecting: channels.count)
    }

    /// The events of a subscription to every channel matching one of `patterns` (glob-style, as PSUBSCRIBE takes
    /// them), until the consumer stops iterating. Messages carry the channel they were published on.
    public func subscribe(toPatterns patterns: [String]) -> AsyncStream<RedisSubscriptionEvent> {
        self.start(["PSUBSCRIBE"] + patterns.map { RedisArgument($0) }, expecting: patterns.count)
    }

    private func start(_ command: [RedisArgument], expecting confirmations: Int) -> AsyncStream<RedisSubscriptionEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: RedisSubscriptionEvent.self, bufferingPolicy: .bufferingNewest(10_000))
        let box = StopFlag()
        continuation.onTermination = { _ in box.stop() }
        let url = self.url
        let timeout = self.timeout
        let logger = self.logger
        let thread = Thread {
            Self.readLoop(
                url: url,
                timeout: timeout,
                command: command,
                confirmations: confirmations,
                stop: box,
                continuation: continuation,
                logger: logger
            )
        }
        thread.name = "redis-subscriber"
        thread.start()
        return stream
    }

    private static func readLoop(
        url: RedisURL,
        timeout: Duration,
        command: [RedisArgument],
        confirmations: Int,
        stop: StopFlag,
        continuation: AsyncStream<RedisSubscriptionEvent>.Continuation,
        logger: Logger
    ) {
        var backoff = Duration.milliseconds(100)
        while !stop.isStopped {
            do {
                let connection = try RedisConnection(url: url, timeout: timeout)
                try connection.append(command)
                var confirmed = 0
                backoff = .milliseconds(100)
                while !stop.isStopped {
                    guard let reply = try connection.nextReply(within: .milliseconds(250)), let parts = reply.array, parts.count >= 3 else {
                        continue
                    }
                    switch parts[0].string {
                    case "subscribe", "psubscribe":
                        confirmed += 1
                        if confirmed == confirmations { continuation.yield(.subscribed) }
                    case "message":
                        continuation.yield(.message(channel: parts[1].string ?? "", payload: parts[2].string ?? ""))
                    case "pmessage" where parts.count >= 4:
                        continuation.yield(.message(channel: parts[2].string ?? "", payload: parts[3].string ?? ""))
                    default:
                        break
                    }
                }
            } catch {
                logger.warning("Redis subscription lost", metadata: ["error.type": "\(error)", "redis.url": "\(url)"])
                let deadline = ContinuousClock.now + backoff
                while !stop.isStopped && ContinuousClock.now < deadline {
                    Thread.sleep(forTimeInterval: 0.05)
                }
                backoff = min(backoff * 2, .seconds(5))
            }
        }
        continuation.finish()
    }
}

/// A flag shared by the consumer of a subscription and its reading thread.
private final class StopFlag: Sendable {
    private let stopped = Atomic<Bool>(false)

    var isStopped: Bool { self.stopped.load(ordering: .acquiring) }

    func stop() { self.stopped.store(true, ordering: .releasing) }
}
