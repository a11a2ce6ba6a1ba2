/// `PING`: answers `PONG` when the server is there.
public struct PING: RedisCommand {
    public init() {}
    public var arguments: [RedisArgument] { ["PING"] }
    public var isIdempotent: Bool { true }
    public func response(from value: RedisValue) throws -> String {
        guard let text = value.string else { throw RedisError.unexpectedReply("PING answered \(value)") }
        return text
    }
}

extension RedisClientProtocol {
    /// Checks that the server answers.
    public func ping() async throws {
        _ = try await self.execute(PING())
    }
}
