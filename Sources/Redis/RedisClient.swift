public import Logging
internal import NIOPosix
internal import Synchronization

/// A pool of hiredis connections whose blocking calls run on a thread pool of their own.
///
/// Each command borrows one connection for its whole round trip, so no two callers ever share a `redisContext`.
/// A connection that breaks is dropped; when a command fails on a connection that had been idle in the pool
/// (the server restarted, say), the pool drops its idle connections and runs the command once more on a new one.
/// A command may therefore reach the server twice if the connection broke after the server ran it: callers rely
/// only on idempotent effects or tolerate duplicates (stream entries are deduplicated downstream).
public final class RedisClient: RedisClientProtocol, Sendable {
    private struct Pool {
        var idle: [RedisConnection] = []
        var open = 0
        var waiters: [CheckedContinuation<RedisConnection?, any Error>] = []
        var closed = false
    }

    /// The configuration the client was made with.
    public let configuration: RedisConfiguration
    private let threadPool: NIOThreadPool
    private let pool = Mutex(Pool())
    private let logger: Logger

    /// Creates a client; connections open lazily, on first use.
    public init(configuration: RedisConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        // One thread per connection: a blocking command (XREADGROUP BLOCK) never starves the others.
        self.threadPool = NIOThreadPool(numberOfThreads: configuration.maximumConnections)
        self.threadPool.start()
    }

    /// Closes every connection and stops the threads; later commands throw ``RedisError/clientClosed(fileID:line:)``.
    public func close() async {
        let waiters = self.pool.withLock { pool in
            pool.closed = true
            pool.idle.removeAll()
            defer { pool.waiters.removeAll() }
            return pool.waiters
        }
        for waiter in waiters {
            waiter.resume(throwing: RedisError.clientClosed())
        }
        try? await self.threadPool.shutdownGracefully()
    }

    public func execute<Command: RedisCommand>(_ command: Command) async throws -> Command.Response {
        let value = try await self.send(command.arguments, replyTimeout: command.replyTimeout)
        return try command.response(from: value)
    }

    // MARK: Pool

    private func send(_ arguments: [RedisArgument], replyTimeout: Duration?) async throws -> RedisValue {
        let (connection, wasIdle) = try await self.checkOut()
        do {
            let value = try await self.threadPool.runIfActive { try connection.send(arguments, replyTimeout: replyTimeout) }
            self.checkIn(connection)
            return value
        } catch let error as RedisError where error.isConnectionError && wasIdle {
            self.discard(connection, dropIdle: true)
            self.logger.debug("Retrying on a new Redis connection", metadata: ["error.type": "\(error)"])
            let fresh = try await self.openConnection()
            do {
                let value = try await self.threadPool.runIfActive { try fresh.send(arguments, replyTimeout: replyTimeout) }
                self.checkIn(fresh)
                return value
            } catch {
                self.settle(fresh)
                throw error
            }
        } catch {
            self.settle(connection)
            throw error
        }
    }

    /// Returns a connection after a failed call: kept when still sound (a server error reply), dropped when broken.
    private func settle(_ connection: RedisConnection) {
        if connection.isBroken {
            self.discard(connection, dropIdle: false)
        } else {
            self.checkIn(connection)
        }
    }

    /// Borrows a connection: an idle one, a new one while under the limit, or the next one returned.
    private func checkOut() async throws -> (RedisConnection, wasIdle: Bool) {
        enum Step {
            case reuse(RedisConnection)
            case open
            case wait
        }
        let step: Step = try self.pool.withLock { pool in
            if pool.closed { throw RedisError.clientClosed() }
            if let connection = pool.idle.popLast() { return .reuse(connection) }
            if pool.open < self.configuration.maximumConnections {
                pool.open += 1
                return .open
            }
            return .wait
        }
        switch step {
        case .reuse(let connection):
            return (connection, true)
        case .open:
            return (try await self.openReserved(), false)
        case .wait:
            let handed = try await withCheckedThrowingContinuation { continuation in
                let closed = self.pool.withLock { pool in
                    if pool.closed { return true }
                    pool.waiters.append(continuation)
                    return false
                }
                if closed { continuation.resume(throwing: RedisError.clientClosed()) }
            }
            // A waiter gets either a connection or, when one was dropped, the right to open a new one.
            if let handed { return (handed, true) }
            return (try await self.openReserved(), false)
        }
    }

    /// Opens a connection for a slot already counted in `open`, giving the slot back on failure.
    private func openReserved() async throws -> RedisConnection {
        do {
            let url = self.configuration.url
            let timeout = self.configuration.timeout
            return try await self.threadPool.runIfActive { try RedisConnection(url: url, timeout: timeout) }
        } catch {
            self.releaseSlot()
            throw error
        }
    }

    /// Opens a connection, counting it against the limit, for the retry after a stale one was dropped.
    private func openConnection() async throws -> RedisConnection {
        try self.pool.withLock { pool in
            if pool.closed { throw RedisError.clientClosed() }
            pool.open += 1
        }
        return try await self.openReserved()
    }

    private func checkIn(_ connection: RedisConnection) {
        let waiter: CheckedContinuation<RedisConnection?, any Error>? = self.pool.withLock { pool in
            if pool.closed {
                pool.open -= 1
                return nil
            }
            if !pool.waiters.isEmpty { return pool.waiters.removeFirst() }
            pool.idle.append(connection)
            return nil
        }
        waiter?.resume(returning: connection)
    }

    private func discard(_ connection: RedisConnection, dropIdle: Bool) {
        _ = connection
        let waiter: CheckedContinuation<RedisConnection?, any Error>? = self.pool.withLock { pool in
            if dropIdle {
                pool.open -= pool.idle.count
                pool.idle.removeAll()
            }
            if !pool.waiters.isEmpty { return pool.waiters.removeFirst() }
            pool.open -= 1
            return nil
        }
        // The dropped connection's slot passes to the waiter, who opens a new connection in it.
        waiter?.resume(returning: nil)
    }

    private func releaseSlot() {
        let waiter: CheckedContinuation<RedisConnection?, any Error>? = self.pool.withLock { pool in
            if !pool.waiters.isEmpty { return pool.waiters.removeFirst() }
            pool.open -= 1
            return nil
        }
        waiter?.resume(returning: nil)
    }
}
