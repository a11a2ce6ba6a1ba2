/// Any command, answered with the raw reply: for commands that have no typed struct.
public struct GenericCommand: RedisCommand {
    public typealias Response = RedisValue
    public var arguments: [RedisArgument]
    public var replyTimeout: Duration?

    /// A command from its name and arguments.
    public init(_ arguments: [RedisArgument], replyTimeout: Duration? = nil) {
        self.arguments = arguments
        self.replyTimeout = replyTimeout
    }
}

extension RedisClientProtocol {
    /// Runs any command and returns the raw reply.
    @discardableResult
    public func send(_ arguments: [RedisArgument]) async throws -> RedisValue {
        try await self.execute(GenericCommand(arguments))
    }
}
