/// A Redis command: its arguments and how its reply becomes a typed response.
public protocol RedisCommand: Sendable {
    /// The typed response.
    associatedtype Response: Sendable
    /// The command name and its arguments.
    var arguments: [RedisArgument] { get }
    /// How long the server may take to answer: set for blocking commands (`XREADGROUP … BLOCK`), `nil` for the client's default.
    var replyTimeout: Duration? { get }
    /// Converts the reply.
    func response(from value: RedisValue) throws -> Response
}

extension RedisCommand {
    public var replyTimeout: Duration? { nil }
}

extension RedisCommand where Response == RedisValue {
    public func response(from value: RedisValue) throws -> RedisValue { value }
}
