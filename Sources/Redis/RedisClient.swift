public import Logging
internal import NIOPosix
internal import Synchronization

/// A pool of hiredis connections whose blocking calls run on a thread pool of their own.
///
/// Each command borrows one connection for its whole round trip, so no two callers ever share a `redisContext`.
/// A connection that breaks is dropped, and an idle one the server closed (it restarted, say) is found before use
/// and replaced. When a command fails on a connection that had been idle in the pool, the pool drops its idle
/// connections and, only for a command that says it is idempotent (``RedisCommand/isIdempotent``), runs it once
/// more on a new one: a script or a GETDEL may have run before the connection broke, and must not run twice.
/// A caller that finds every connection busy waits at most ``RedisConfiguration/checkoutTimeout``.
public final class RedisClient: RedisClientProtocol, Sendable {
    private struct Pool {
        var idle: [RedisConnection] = []
        var open = 0
        /// Callers waiting for a connection, oldest first, each with an id its deadline finds it by.
        var waiters: [(id: UInt64, continuation: CheckedContinuation<RedisConnection?, any Error>)] = []
        var nextWaiter: UInt64 = 0
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

    // A client dropped without `close()` (a one-shot command, a test) must not leave its threads behind; the pool's
    // threads hold no reference to the client, so dropping it is enough to end them.
    deinit {
        self.threadPool.shutdownGracefully { _ in }
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
            waiter.continuation.resume(throwing: RedisError.clientClosed())
        }
        try? await self.threadPool.shutdownGracefully()
    }

    public func execute<Command: RedisCommand>(_ command: Command) async throws -> Command.Response {
        let value = try await self.send(command.arguments, replyTimeout: command.replyTimeout, idempotent: command.isIdempotent)
        return try command.response(from: value)
    }

    // MARK: Pool

    private func send(_ arguments: [RedisArgument], replyTimeout: Duration?, idempotent: Bool) async throws -> RedisValue {
        let (connection, wasIdle) = try await self.checkOut()
        do {
            let value = try await self.threadPool.runIfActive { try connection.send(arguments, replyTimeout: replyTimeout) }
            self.checkIn(connection)
            return value
        } catch let error as RedisError where error.isConnectionError && wasIdle {
            self.discard(connection, dropIdle: true)
            guard idempotent else { throw error }
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
        while true {
            let step: Step = try self.pool.withLock { pool in
                if pool.closed { throw RedisError.clientClosed() }
                if let connection = pool.idle.popLast() { return .reuse(connection) }
                if pool.open < self.configuration.maximumConnections {
                    pool.open += 1
                    return .open
                }
                return .wait
            }
            let idle: RedisConnection
            switch step {
            case .reuse(let connection):
                idle = connection
            case .open:
                return (try await self.openReserved(), false)
            case .wait:
                // A waiter gets either a connection or, when one was dropped, the right to open a new one.
                guard let handed = try await self.waitForConnection() else { return (try await self.openReserved(), false) }
                idle = handed
            }
            guard idle.isUsable else {
                self.discard(idle, dropIdle: false)
                continue
            }
            return (idle, true)
        }
    }

    /// Waits for a returned connection (or a freed slot, `nil`) until the checkout timeout.
    private func waitForConnection() async throws -> RedisConnection? {
        try await withCheckedThrowingContinuation { continuation in
            let id: UInt64? = self.pool.withLock { pool in
                if pool.closed { return nil }
                pool.nextWaiter += 1
                pool.waiters.append((pool.nextWaiter, continuation))
                return pool.nextWaiter
            }
            guard let id else { return continuation.resume(throwing: RedisError.clientClosed()) }
            let timeout = self.configuration.checkoutTimeout
            Task {
                try? await Task.sleep(for: timeout)
                // Whoever removes the waiter resumes it: a connection handed over first wins.
                let expired = self.pool.withLock { pool in
                    pool.waiters.firstIndex { $0.id == id }.map { pool.waiters.remove(at: $0).continuation }
                }
                expired?.resume(throwing: RedisError.poolExhausted("every Redis connection stayed busy for \(timeout)"))
            }
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
            if !pool.waiters.isEmpty { return pool.waiters.removeFirst().continuation }
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
            if !pool.waiters.isEmpty { return pool.waiters.removeFirst().continuation }
            pool.open -= 1
            return nil
        }
        // The dropped connection's slot passes to the waiter, who opens a new connection in it.
        waiter?.resume(returning: nil)
    }

    private func releaseSlot() {
        let waiter: CheckedContinuation<RedisConnection?, any Error>? = self.pool.withLock { pool in
            if !pool.waiters.isEmpty { return pool.waiters.removeFirst().continuation }
            pool.open -= 1
            return nil
        }
        waiter?.resume(returning: nil)
    }
}
