/// A Redis command: its arguments and how its reply becomes a typed response.
public protocol RedisCommand: Sendable {
    /// The typed response.
    associatedtype Response: Sendable
    /// The command name and its arguments.
    var arguments: [RedisArgument] { get }
    /// How long the server may take to answer: set for blocking commands (`XREADGROUP … BLOCK`), `nil` for the client's default.
    var replyTimeout: Duration? { get }
    /// Whether running the command twice has the effect of running it once, so the client may send it again after a
    /// connection broke mid-call (the server may have run it already). `false` unless a command says otherwise.
    var isIdempotent: Bool { get }
    /// Converts the reply.
    func response(from value: RedisValue) throws -> Response
}

extension RedisCommand {
    public var replyTimeout: Duration? { nil }
    public var isIdempotent: Bool { false }
}

extension RedisCommand where Response == RedisValue {
    public func response(from value: RedisValue) throws -> RedisValue { value }
}
