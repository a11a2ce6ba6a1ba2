/// Something that runs Redis commands; the typed commands of `Commands/` extend it with convenience methods.
public protocol RedisClientProtocol: Sendable {
    /// Runs one command and converts its reply.
    func execute<Command: RedisCommand>(_ command: Command) async throws -> Command.Response
}
