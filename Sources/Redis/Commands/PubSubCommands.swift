/// `PUBLISH channel message`: answers how many subscribers received it.
public struct PUBLISH: RedisCommand {
    public var channel: String
    public var message: String

    public init(_ channel: String, message: String) {
        self.channel = channel
        self.message = message
    }

    public var arguments: [RedisArgument] { ["PUBLISH", RedisArgument(self.channel), RedisArgument(self.message)] }
    public func response(from value: RedisValue) throws -> Int { Int(value.integer ?? 0) }
}

extension RedisClientProtocol {
    /// Publishes a message on a channel.
    @discardableResult
    public func publish(_ message: String, to channel: String) async throws -> Int {
        try await self.execute(PUBLISH(channel, message: message))
    }
}
