public import Foundation
public import Logging
public import MailpulseCore
internal import Metrics
public import Redis

/// ``AccountEventLog`` on Redis: per account a sequence counter, a log bounded by count and by bytes (for pages that
/// reconnect; an account whose events are large, with long recipient lists, keeps fewer of them, so an active account
/// costs Redis at most `logBytes` more than an idle one) and a pub/sub channel that every node's feed
/// (``RedisAccountEventFeed``) listens to.
public struct RedisAccountEventPublisher: AccountEventLog {
    private let client: any RedisClientProtocol
    private let prefix: String
    private let logLength: Int
    private let logBytes: Int
    private let logTTL: Duration
    private let logger: Logger

    /// Creates a publisher under `prefix`, keeping the last `logLength` events of an account, at most `logBytes` of
    /// them, for `logTTL`.
    public init(
        client: any RedisClientProtocol,
        prefix: String,
        logLength: Int = 256,
        logBytes: Int = 256 * 1024,
        logTTL: Duration = .seconds(24 * 3600),
        logger: Logger
    ) {
        self.client = client
        self.prefix = prefix
        self.logLength = logLength
        self.logBytes = logBytes
        self.logTTL = logTTL
        self.logger = logger
    }

    /// The pub/sub channel of an account's events.
    public func channel(of account: AccountID) -> String {
        self.channelPrefix + account.description
    }

    /// What every account's channel starts with: the account id follows.
    public var channelPrefix: String {
        "\(self.prefix)events:"
    }

    public func publish(_ events: [AccountEvent], for account: AccountID) async {
        guard !events.isEmpty else { return }
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            var arguments = [
                RedisArgument(self.channel(of: account)), RedisArgument(self.logLength), RedisArgument(self.logBytes),
                RedisArgument(self.logTTL.milliseconds),
            ]
            for event in events {
                arguments.append(RedisArgument(String(decoding: try encoder.encode(event), as: UTF8.self)))
            }
            _ = try await self.client.evaluate(
                ChangeQueueScripts.publish,
                keys: ["\(self.prefix)events:seq:\(account)", "\(self.prefix)events:log:\(account)", "\(self.prefix)events:size:\(account)"],
                arguments: arguments
            )
            // Events are published for applied writes only: message.upserted and message.deleted count what was stored.
            // One increment per type and batch: a sync page publishes hundreds of events at once.
            var counts: [String: Int] = [:]
            for event in events { counts[event.type, default: 0] += 1 }
            for (type, count) in counts {
                Counter(label: "mailpulse_account_events_total", dimensions: [("type", type)]).increment(by: count)
            }
        } catch {
            self.logger.warning("Account events not published", metadata: ["account.id": "\(account)", "error.type": "\(error)"])
        }
    }

    public func recentEvents(of account: AccountID) async throws -> [String] {
        let reply = try await self.client.send(["LRANGE", RedisArgument("\(self.prefix)events:log:\(account)"), 0, -1])
        return (reply.array ?? []).compactMap(\.string)
    }

    public func lastSequence(of account: AccountID) async throws -> Int {
        Int(try await self.client.get("\(self.prefix)events:seq:\(account)") ?? "0") ?? 0
    }

    /// Published on an account's channel when the account is deleted: not an event (it has no sequence number), a
    /// signal for every node to close the account's sockets.
    public static let accountDeletedMessage = "{\"type\":\"account.deleted\"}"

    public func forget(_ account: AccountID) async throws {
        _ = try await self.client.execute(
            DEL(["\(self.prefix)events:seq:\(account)", "\(self.prefix)events:log:\(account)", "\(self.prefix)events:size:\(account)"])
        )
        _ = try await self.client.send(["PUBLISH", RedisArgument(self.channel(of: account)), RedisArgument(Self.accountDeletedMessage)])
    }
}
