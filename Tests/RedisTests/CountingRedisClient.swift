import Redis
import Synchronization

/// A client that counts the commands it sends (each one a round trip) before passing them on.
final class CountingRedisClient: RedisClientProtocol {
    private let base: any RedisClientProtocol
    private let count = Mutex(0)

    init(_ base: any RedisClientProtocol) {
        self.base = base
    }

    /// Commands sent so far.
    var commands: Int { self.count.withLock { $0 } }

    func execute<Command: RedisCommand>(_ command: Command) async throws -> Command.Response {
        self.count.withLock { $0 += 1 }
        return try await self.base.execute(command)
    }
}
