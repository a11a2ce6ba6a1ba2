internal import CHiredis
internal import Foundation

/// One hiredis connection: a `redisContext` and the blocking calls on it.
///
/// Safety: hiredis contexts are not thread-safe, and this class does no locking of its own. It is `@unchecked
/// Sendable` because ``RedisClient`` hands a connection to exactly one caller at a time (the pool removes it from
/// the idle list before lending it and puts it back only after the call returns), and a subscriber's connection
/// is owned by that subscriber's single reading thread. The context is freed once, in `deinit`.
final class RedisConnection: @unchecked Sendable {
    // hiredis writes with write(2): a write to a connection the server closed would raise SIGPIPE and end the
    // process, so the signal is ignored once, process-wide, and the write fails with EPIPE instead.
    private static let ignoreBrokenPipe: Void = {
        signal(SIGPIPE, SIG_IGN)
    }()

    private let context: UnsafeMutablePointer<redisContext>
    private var currentTimeout: Duration
    private let defaultTimeout: Duration

    /// Connects, logs in and selects the database; blocks for at most `timeout` per step.
    init(url: RedisURL, timeout: Duration) throws {
        Self.ignoreBrokenPipe
        guard let context = redisConnectWithTimeout(url.host, Int32(url.port), Self.makeTimeval(timeout)) else {
            throw RedisError.connectionFailed("hiredis could not allocate a context")
        }
        if context.pointee.err != 0 {
            let message = Self.errorText(context)
            redisFree(context)
            throw RedisError.connectionFailed("\(url): \(message)")
        }
        self.context = context
        self.defaultTimeout = timeout
        self.currentTimeout = timeout
        redisSetTimeout(context, Self.makeTimeval(timeout))
        redisEnableKeepAlive(context)
        if let password = url.password {
            var login: [RedisArgument] = ["AUTH"]
            if let user = url.user { login.append(RedisArgument(user)) }
            login.append(RedisArgument(password))
            _ = try self.send(login)
        }
        if url.database != 0 {
            _ = try self.send(["SELECT", RedisArgument(url.database)])
        }
    }

    deinit {
        redisFree(self.context)
    }

    /// Whether hiredis has marked the context broken: it must not be used again.
    var isBroken: Bool {
        self.context.pointee.err != 0
    }

    /// Whether the connection may carry a command: hiredis has not marked it broken and the server has not closed it
    /// while it sat idle (a closed socket reads as end of file, found without a round trip).
    var isUsable: Bool {
        guard !self.isBroken else { return false }
        var descriptor = pollfd(fd: self.context.pointee.fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, 0)
        if ready == 0 { return true }
        guard ready > 0, descriptor.revents & Int16(POLLHUP | POLLERR | POLLNVAL) == 0 else { return false }
        // Readable while no command is outstanding: either the end of the stream or bytes nobody asked for.
        var byte: UInt8 = 0
        let peeked = recv(self.context.pointee.fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
        return peeked < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
    }

    /// Sends one command and waits for its reply; a reply timeout other than the default applies to this call only.
    func send(_ arguments: [RedisArgument], replyTimeout: Duration? = nil) throws -> RedisValue {
        let timeout = replyTimeout ?? self.defaultTimeout
        if timeout != self.currentTimeout {
            redisSetTimeout(self.context, Self.makeTimeval(timeout))
            self.currentTimeout = timeout
        }
        let reply = Self.withArgv(arguments) { count, argv, lengths in
            redisCommandArgv(self.context, count, argv, lengths)
        }
        guard let reply else {
            throw RedisError.connectionLost(Self.errorText(self.context))
        }
        return try Self.consume(reply)
    }

    /// Queues a command without waiting for a reply (for SUBSCRIBE on a subscriber connection).
    func append(_ arguments: [RedisArgument]) throws {
        let status = Self.withArgv(arguments) { count, argv, lengths in
            redisAppendCommandArgv(self.context, count, argv, lengths)
        }
        guard status == REDIS_OK else {
            throw RedisError.connectionLost(Self.errorText(self.context))
        }
    }

    /// Writes queued commands, then waits up to `timeout` for the next reply; `nil` when none came in time.
    ///
    /// Unlike a hiredis read timeout, which breaks the context, waiting here uses `poll` and leaves the connection usable.
    func nextReply(within timeout: Duration) throws -> RedisValue? {
        var done: Int32 = 0
        while done == 0 {
            guard redisBufferWrite(self.context, &done) == REDIS_OK else {
                throw RedisError.connectionLost(Self.errorText(self.context))
            }
        }
        var reply: UnsafeMutableRawPointer?
        guard redisReaderGetReply(self.context.pointee.reader, &reply) == REDIS_OK else {
            throw RedisError.connectionLost("protocol error")
        }
        if reply == nil {
            var descriptor = pollfd(fd: self.context.pointee.fd, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
            let ready = poll(&descriptor, 1, milliseconds)
            if ready < 0 {
                if errno == EINTR { return nil }
                throw RedisError.connectionLost("poll failed: errno \(errno)")
            }
            if ready == 0 { return nil }
            guard redisBufferRead(self.context) == REDIS_OK else {
                throw RedisError.connectionLost(Self.errorText(self.context))
            }
            guard redisReaderGetReply(self.context.pointee.reader, &reply) == REDIS_OK else {
                throw RedisError.connectionLost("protocol error")
            }
        }
        guard let reply else { return nil }
        return try Self.consume(reply)
    }

    // MARK: Conversion

    private static func withArgv<T>(
        _ arguments: [RedisArgument],
        _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> T
    ) -> T {
        var storage: [UInt8] = []
        storage.reserveCapacity(arguments.reduce(0) { $0 + $1.bytes.count } + 1)
        var lengths: [Int] = []
        lengths.reserveCapacity(arguments.count)
        for argument in arguments {
            storage.append(contentsOf: argument.bytes)
            lengths.append(argument.bytes.count)
        }
        // A trailing byte keeps the base address valid when every argument is empty.
        storage.append(0)
        return storage.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress!)
            var offset = 0
            var pointers: [UnsafePointer<CChar>?] = lengths.map { length in
                defer { offset += length }
                return (base + offset).assumingMemoryBound(to: CChar.self)
            }
            return pointers.withUnsafeMutableBufferPointer { argv in
                lengths.withUnsafeBufferPointer { lengthBuffer in
                    body(Int32(arguments.count), argv.baseAddress!, lengthBuffer.baseAddress!)
                }
            }
        }
    }

    /// Converts a reply and frees it; a top-level error reply is thrown.
    private static func consume(_ pointer: UnsafeMutableRawPointer) throws -> RedisValue {
        let reply = pointer.assumingMemoryBound(to: redisReply.self)
        defer { freeReplyObject(pointer) }
        let value = Self.value(of: reply)
        if case .error(let message) = value {
            throw RedisError.server(message)
        }
        return value
    }

    private static func value(of reply: UnsafeMutablePointer<redisReply>) -> RedisValue {
        let object = reply.pointee
        switch object.type {
        case REDIS_REPLY_STRING:
            return .bulkString(Self.bytes(object.str, object.len))
        case REDIS_REPLY_STATUS:
            return .simpleString(String(decoding: Self.bytes(object.str, object.len), as: UTF8.self))
        case REDIS_REPLY_ERROR:
            return .error(String(decoding: Self.bytes(object.str, object.len), as: UTF8.self))
        case REDIS_REPLY_INTEGER:
            return .integer(Int64(object.integer))
        case REDIS_REPLY_ARRAY:
            var elements: [RedisValue] = []
            elements.reserveCapacity(Int(object.elements))
            for index in 0..<Int(object.elements) {
                if let element = object.element[index] {
                    elements.append(Self.value(of: element))
                } else {
                    elements.append(.null)
                }
            }
            return .array(elements)
        default:
            return .null
        }
    }

    private static func bytes(_ pointer: UnsafeMutablePointer<CChar>?, _ length: Int) -> [UInt8] {
        guard let pointer, length > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: length))
    }

    private static func errorText(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    private static func makeTimeval(_ duration: Duration) -> timeval {
        let components = duration.components
        return timeval(tv_sec: Int(components.seconds), tv_usec: Int(components.attoseconds / 1_000_000_000_000))
    }
}
