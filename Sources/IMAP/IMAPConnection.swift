internal import Foundation
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
    private var nextTag = 1
    /// The capabilities the server announced last (they change at login and STARTTLS).
    private var announced: Set<String>?
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
                .connectTimeout(TimeAmount(timeout))
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
        if case .capability(let names)? = status.code { connection.announced = Set(names) }
        return connection
    }

    /// Signs in with a user name and password: `AUTHENTICATE PLAIN` with the credentials inline when the server offers
    /// it with SASL-IR (base64 carries any byte), else `LOGIN` with both quoted. NO is ``IMAPError/refused(_:)``.
    public func login(username: String, password: String) async throws {
        let capabilities = try await self.capabilities()
        if capabilities.contains("AUTH=PLAIN") && capabilities.contains("SASL-IR") {
            let credentials = Data("\0\(username)\0\(password)".utf8).base64EncodedString()
            try await self.execute("AUTHENTICATE PLAIN \(credentials)")
        } else {
            try await self.execute("LOGIN \(try Self.quoted(username)) \(try Self.quoted(password))")
        }
    }

    /// The server's capabilities as it announced them last (in the greeting, after login, or asked for now).
    public func capabilities() async throws -> Set<String> {
        if let announced = self.announced { return announced }
        try await self.execute("CAPABILITY")
        return self.announced ?? []
    }

    /// Every mailbox with its attributes (SPECIAL-USE's `\Sent`, `\Trash`, … included when the server offers it).
    public func mailboxes() async throws -> [IMAPMailboxListing] {
        let specialUse = try await self.capabilities().contains("SPECIAL-USE")
        let command = specialUse ? "LIST \"\" \"*\" RETURN (SPECIAL-USE)" : "LIST \"\" \"*\""
        return try await self.execute(command).untagged.compactMap { response in
            if case .list(let listing) = response { return listing }
            return nil
        }
    }

    /// Selects a mailbox by its name as people read it (sent in modified UTF-7). With `known` (a UIDVALIDITY and a
    /// mod-sequence from the last round) and QRESYNC enabled, the server also says what vanished and changed since.
    public func select(
        _ name: String,
        readOnly: Bool = false,
        known: (uidValidity: UInt32, modSequence: UInt64)? = nil
    ) async throws
        -> IMAPSelectedMailbox
    {
        var command = "\(readOnly ? "EXAMINE" : "SELECT") \(try Self.quoted(ModifiedUTF7.encode(name)))"
        if let known {
            command += " (QRESYNC (\(known.uidValidity) \(known.modSequence)))"
        } else if try await self.capabilities().contains("CONDSTORE") {
            command += " (CONDSTORE)"
        }
        guard let selected = IMAPSelectedMailbox(try await self.execute(command).untagged) else {
            throw IMAPError.malformed("SELECT \(name) named no UIDVALIDITY")
        }
        return selected
    }

    /// `UID FETCH uids (items)` on the selected mailbox, optionally only what changed after `changedSince` (CONDSTORE);
    /// answers the attributes of each message, in the server's order, updates the server sent meanwhile included.
    /// Enable QRESYNC first where offered: only then does every FETCH carry its UID (Dovecot answers a message it just
    /// reported changed with no second FETCH).
    public func fetch(_ uids: UIDSet, items: [String], changedSince: UInt64? = nil) async throws -> [IMAPMessageAttributes] {
        var command = "UID FETCH \(uids) (\(items.joined(separator: " ")))"
        if let changedSince { command += " (CHANGEDSINCE \(changedSince))" }
        return try await self.execute(command).untagged.compactMap { response in
            if case .fetch(_, let attributes) = response { return attributes }
            return nil
        }
    }

    /// A quoted string (RFC 3501 §4.3) of 7-bit text without line breaks or NUL; anything else cannot be quoted.
    static func quoted(_ text: String) throws -> String {
        guard text.utf8.allSatisfy({ $0 > 0 && $0 < 0x80 && $0 != 0x0D && $0 != 0x0A }) else {
            throw IMAPError.invalidArgument("only 7-bit text without line breaks can be quoted")
        }
        return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// Runs one command (without its tag and line end) and answers what it brought back; NO and BAD throw
    /// ``IMAPError/refused(_:)``.
    @discardableResult
    public func execute(_ command: String) async throws -> IMAPCommandResult {
        let tag = self.tag()
        try await self.write("\(tag) \(command)\r\n")
        var untagged: [UntaggedResponse] = []
        while true {
            switch try await self.response() {
            case .tagged(let answered, let status) where answered == tag:
                guard status.kind == .ok else { throw IMAPError.refused(status) }
                if case .capability(let names)? = status.code { self.announced = Set(names) }
                return IMAPCommandResult(untagged: untagged, status: status)
            case .untagged(.capability(let names)):
                self.announced = Set(names)
                untagged.append(.capability(names))
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
        try await self.response(within: self.timeout)
    }

    /// The next response, within `limit`: past it the connection is closed and ``IMAPError/timedOut`` thrown.
    private func response(within limit: Duration) async throws -> IMAPResponse {
        while true {
            do {
                if let response = try self.parser.next(from: &self.buffer) { return response }
            } catch let error as IMAPParseError {
                self.close()
                throw IMAPError.malformed(error.message)
            }
            let expired = OnceFlag()
            let watchdog = self.channel.eventLoop.scheduleTask(in: TimeAmount(limit)) { [channel] in
                expired.raise()
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
                throw expired.isRaised ? IMAPError.timedOut : IMAPError.closed("the server closed the connection")
            }
            self.buffer += bytes.readBytes(length: bytes.readableBytes) ?? []
        }
    }

    /// IDLE (RFC 2177) on the selected mailbox: waits until the server reports a change or `duration` passes (keep it
    /// well under the 29 minutes after which servers may drop an idle client), ends the IDLE with `DONE`, and answers
    /// what the server reported meanwhile (EXISTS, EXPUNGE, FETCH, VANISHED…; empty when nothing changed).
    public func idle(for duration: Duration) async throws -> [UntaggedResponse] {
        let tag = self.tag()
        try await self.write("\(tag) IDLE\r\n")
        switch try await self.response() {
        case .continuation: break
        case .tagged(_, let status): throw IMAPError.refused(status)
        case .untagged(let response): throw IMAPError.malformed("IDLE answered \(response) before its continuation")
        }
        let done = OnceFlag()
        let timer = self.channel.eventLoop.scheduleTask(in: TimeAmount(duration)) { [channel] in
            if done.raise() { channel.writeAndFlush(ByteBuffer(string: "DONE\r\n"), promise: nil) }
        }
        defer { timer.cancel() }
        var changes: [UntaggedResponse] = []
        while true {
            switch try await self.response(within: duration + self.timeout) {
            case .untagged(let response):
                changes.append(response)
                if done.raise() { try await self.write("DONE\r\n") }
            case .tagged(let answered, let status) where answered == tag:
                guard status.kind == .ok else { throw IMAPError.refused(status) }
                return changes
            case .tagged(_, let status):
                throw IMAPError.malformed("a tagged answer to a command not sent: \(status.text)")
            case .continuation(let text):
                throw IMAPError.malformed("an unexpected continuation while idle: \(text)")
            }
        }
    }

    /// The next command's tag.
    private func tag() -> String {
        defer { self.nextTag += 1 }
        return "M\(self.nextTag)"
    }

    /// Closes the connection.
    public func close() {
        self.channel.close(promise: nil)
    }
}
