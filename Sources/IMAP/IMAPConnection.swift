internal import NIOCore
internal import NIOPosix

/// One connection to an IMAP server: the greeting, then commands one after another, each tagged, each answered by
/// the untagged responses it caused and its tagged ending. Every wait for the server is bounded by `timeout`; a
/// connection that timed out is closed (what the server is doing is unknown). Used by one task at a time.
public final class IMAPConnection {
    private let channel: any Channel
    private var received: AsyncThrowingStream<ByteBuffer, any Error>.AsyncIterator
    private var buffer: [UInt8] = []
    private let parser: IMAPResponseParser
    private let timeout: Duration
    private let timeouts = TimeoutRecord()
    private var nextTag = 1
    /// How the server greeted this connection.
    public private(set) var greeting = IMAPStatus(.ok, text: "")

    private init(channel: any Channel, received: AsyncThrowingStream<ByteBuffer, any Error>, limits: IMAPLimits, timeout: Duration) {
        self.channel = channel
        self.received = received.makeAsyncIterator()
        self.parser = IMAPResponseParser(limits: limits)
        self.timeout = timeout
    }

    deinit {
        self.channel.close(promise: nil)
    }

    /// Connects in plain text and reads the greeting (`OK` or `PREAUTH`; `BYE` is ``IMAPError/closed(_:)``).
    public static func connect(
        host: String,
        port: Int,
        limits: IMAPLimits = IMAPLimits(),
        timeout: Duration = .seconds(30)
    ) async throws
        -> IMAPConnection
    {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: ByteBuffer.self)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(Self.timeAmount(timeout))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(IMAPInboundHandler(continuation: continuation))
                    }
                }
                .connect(host: host, port: port)
                .get()
        } catch {
            throw IMAPError.unreachable("\(host):\(port): \(error)")
        }
        let connection = IMAPConnection(channel: channel, received: stream, limits: limits, timeout: timeout)
        guard case .untagged(.status(let status)) = try await connection.response() else {
            connection.close()
            throw IMAPError.malformed("the greeting is not a status")
        }
        guard status.kind == .ok || status.kind == .preauth else {
            connection.close()
            throw IMAPError.closed(status.text)
        }
        connection.greeting = status
        return connection
    }

    /// Runs one command (without its tag and line end) and answers what it brought back; NO and BAD throw
    /// ``IMAPError/refused(_:)``.
    @discardableResult
    public func execute(_ command: String) async throws -> IMAPCommandResult {
        let tag = "M\(self.nextTag)"
        self.nextTag += 1
        try await self.write("\(tag) \(command)\r\n")
        var untagged: [UntaggedResponse] = []
        while true {
            switch try await self.response() {
            case .tagged(let answered, let status) where answered == tag:
                guard status.kind == .ok else { throw IMAPError.refused(status) }
                return IMAPCommandResult(untagged: untagged, status: status)
            case .tagged(_, let status):
                throw IMAPError.malformed("a tagged answer to a command not sent: \(status.text)")
            case .untagged(let response):
                // BYE is kept like any untagged response: LOGOUT's tagged OK follows it; otherwise the server closes
                // the connection and the next read says so.
                untagged.append(response)
            case .continuation(let text):
                throw IMAPError.malformed("an unexpected continuation: \(text)")
            }
        }
    }

    /// Sends a line as it is (the rest of a command after a continuation, `DONE` after IDLE).
    public func write(_ line: String) async throws {
        do {
            try await self.channel.writeAndFlush(ByteBuffer(string: line))
        } catch {
            throw IMAPError.closed("\(error)")
        }
    }

    /// The next response from the server, within the timeout.
    public func response() async throws -> IMAPResponse {
        while true {
            do {
                if let response = try self.parser.next(from: &self.buffer) { return response }
            } catch let error as IMAPParseError {
                self.close()
                throw IMAPError.malformed(error.message)
            }
            let watchdog = self.channel.eventLoop.scheduleTask(in: Self.timeAmount(self.timeout)) { [channel, timeouts] in
                timeouts.expire()
                channel.close(promise: nil)
            }
            let bytes: ByteBuffer?
            do {
                bytes = try await self.received.next()
            } catch {
                watchdog.cancel()
                throw IMAPError.closed("\(error)")
            }
            watchdog.cancel()
            guard var bytes else {
                throw self.timeouts.hasExpired ? IMAPError.timedOut : IMAPError.closed("the server closed the connection")
            }
            self.buffer += bytes.readBytes(length: bytes.readableBytes) ?? []
        }
    }

    /// Closes the connection.
    public func close() {
        self.channel.close(promise: nil)
    }

    private static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(min(seconds, 86_400) * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
