internal import Foundation
internal import MailTransport
internal import NIOCore

/// One connection to an IMAP server: the greeting, then commands one after another, each tagged, each answered by
/// the untagged responses it caused and its tagged ending. Every wait for the server is bounded by `timeout`; a
/// connection that timed out is closed (what the server is doing is unknown). Used by one task at a time.
public final class IMAPConnection {
    private let channel: MailChannel
    private var buffer: [UInt8] = []
    private let parser: IMAPResponseParser
    /// What the parser accepts: a whole message fetched must fit in one literal.
    let limits: IMAPLimits
    private let timeout: Duration
    /// Where the connection goes, for TLS's checks and for what errors say.
    private var nextTag = 1
    /// The capabilities the server announced last (they change at login and STARTTLS).
    private var announced: Set<String>?
    /// How the server greeted this connection.
    public private(set) var greeting = IMAPStatus(.ok, text: "")

    private init(channel: MailChannel, limits: IMAPLimits, timeout: Duration) {
        self.channel = channel
        self.parser = IMAPResponseParser(limits: limits)
        self.limits = limits
        self.timeout = timeout
    }

    deinit {
        self.channel.close()
    }

    /// Connects and reads the greeting (`OK` or `PREAUTH`; `BYE` is ``IMAPError/closed(_:)``). With `.tls` the TLS
    /// handshake comes first; with `.starttls` the client asks for TLS after the greeting, refuses a server that does
    /// not offer it, and asks for the capabilities again once protected. Certificates are verified against
    /// `trustRoots` (unused with `.none`), chain and host name; any TLS failure is ``IMAPError/tlsFailed(_:)``.
    public static func connect(
        host: String,
        port: Int,
        security: IMAPSecurity = .none,
        trustRoots: IMAPTrustRoots = .system,
        limits: IMAPLimits = IMAPLimits(),
        timeout: Duration = .seconds(30)
    ) async throws
        -> IMAPConnection
    {
        let channel = try await Self.transported {
            try await MailChannel.connect(
                host: host,
                port: port,
                security: security,
                trustRoots: trustRoots,
                timeout: timeout,
                ports: "IMAP over TLS is usually port 993, STARTTLS port 143"
            )
        }
        let connection = IMAPConnection(channel: channel, limits: limits, timeout: timeout)
        do {
            try await connection.readGreeting()
            if security == .starttls { try await connection.startTLS() }
        } catch {
            connection.close()
            throw error
        }
        return connection
    }

    /// Reads the greeting: `OK` or `PREAUTH`, with the capabilities it may announce.
    private func readGreeting() async throws {
        guard case .untagged(.status(let status)) = try await self.response() else {
            throw IMAPError.malformed("the greeting is not a status")
        }
        guard status.kind == .ok || status.kind == .preauth else {
            throw IMAPError.closed(status.text)
        }
        self.greeting = status
        if case .capability(let names)? = status.code { self.announced = Set(names) }
    }

    /// STARTTLS (RFC 3501 §6.2.1): asks for TLS, puts the TLS handler in front of the pipeline on the server's OK,
    /// waits for the handshake, and forgets what the server announced before (it may differ, and it was unprotected).
    private func startTLS() async throws {
        guard try await self.capabilities().contains("STARTTLS") else {
            throw IMAPError.tlsFailed(
                "\(self.channel.host):\(self.channel.port) does not offer STARTTLS, so the connection did not go on in plain text; try IMAPSecurity.tls (usually port 993)"
            )
        }
        do {
            try await self.execute("STARTTLS")
        } catch IMAPError.refused(let status) {
            throw IMAPError.tlsFailed("\(self.channel.host):\(self.channel.port) refused STARTTLS: \(status.text)")
        }
        // Bytes after the OK came before TLS, unprotected: an attacker's injected responses would look like the server's.
        guard self.buffer.isEmpty else {
            throw IMAPError.tlsFailed("\(self.channel.host):\(self.channel.port) sent data after STARTTLS's OK, before TLS began")
        }
        try await Self.transported { try await self.channel.startTLS(within: self.timeout) }
        self.announced = nil
    }

    /// What `body` does with the connection's byte stream, its failures told as ``IMAPError``.
    private static func transported<Value>(_ body: () async throws -> Value) async throws -> Value {
        do {
            return try await body()
        } catch let error as MailTransportError {
            throw IMAPError(error)
        }
    }

    /// Signs in with a user name and password: `AUTHENTICATE PLAIN` with the credentials inline when the server offers
    /// it with SASL-IR (base64 carries any byte), else `LOGIN` with each quoted or, when it cannot be (non-ASCII, a line
    /// break, very long), sent as a literal. NO is ``IMAPError/refused(_:)``.
    public func login(username: String, password: String) async throws {
        let capabilities = try await self.capabilities()
        let result: IMAPCommandResult
        if capabilities.contains("AUTH=PLAIN") && capabilities.contains("SASL-IR") {
            let credentials = Data("\0\(username)\0\(password)".utf8).base64EncodedString()
            result = try await self.execute("AUTHENTICATE PLAIN \(credentials)")
        } else {
            result = try await self.execute(Self.loginCommand(username: username, password: password))
        }
        self.forgetCapabilities(unlessAnnouncedBy: result)
    }

    /// `LOGIN user password`, each a quoted string or a literal.
    static func loginCommand(username: String, password: String) throws -> IMAPCommand {
        var command = IMAPCommand("LOGIN ")
        try command.append(string: username)
        command.append(" ")
        try command.append(string: password)
        return command
    }

    /// Signs in with an OAuth 2.0 access token (XOAUTH2 or OAUTHBEARER): the first message inline when the server
    /// offers SASL-IR, else after the server's continuation. A token the server refuses is ``IMAPError/refused(_:)``,
    /// its text followed by the server's JSON error (the server sends it as a challenge, which the client acknowledges
    /// so the server can answer NO).
    public func authenticate(user: String, accessToken: String, mechanism: IMAPOAuthMechanism) async throws {
        let initialResponse = try mechanism.initialResponse(user: user, accessToken: accessToken, host: self.channel.host, port: self.channel.port)
        var command = IMAPCommand("AUTHENTICATE \(mechanism.rawValue)")
        var initialResponseSent = try await self.capabilities().contains("SASL-IR")
        if initialResponseSent { command.append(" \(initialResponse)") }
        var serverError: String?
        do {
            let result = try await self.execute(command) { challenge in
                if !initialResponseSent {
                    initialResponseSent = true
                    return initialResponse
                }
                guard serverError == nil else { throw IMAPError.malformed("a second challenge after an OAuth error: \(challenge)") }
                serverError = Data(base64Encoded: challenge).map { String(decoding: $0, as: UTF8.self) } ?? challenge
                return mechanism.failureAcknowledgement
            }
            self.forgetCapabilities(unlessAnnouncedBy: result)
        } catch IMAPError.refused(let status) {
            guard let serverError else { throw IMAPError.refused(status) }
            throw IMAPError.refused(IMAPStatus(status.kind, code: status.code, text: "\(status.text) \(serverError)"))
        }
    }

    /// After signing in the server may offer more: keep what it announced with its OK, else ask again when needed.
    private func forgetCapabilities(unlessAnnouncedBy result: IMAPCommandResult) {
        if case .capability? = result.status.code { return }
        if result.untagged.contains(where: { if case .capability = $0 { true } else { false } }) { return }
        self.announced = nil
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
        var command = IMAPCommand(readOnly ? "EXAMINE " : "SELECT ")
        try command.append(string: ModifiedUTF7.encode(name))
        if let known {
            command.append(" (QRESYNC (\(known.uidValidity) \(known.modSequence)))")
        } else if try await self.capabilities().contains("CONDSTORE") {
            command.append(" (CONDSTORE)")
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
        try await self.execute(IMAPCommand(command))
    }

    /// Runs a command whose literals go as the server accepts them (or as `literals` says), sending each piece after
    /// a synchronizing literal once the server's continuation came; any further continuation (an AUTHENTICATE
    /// challenge, base64) is answered by `answering`, and without it is malformed.
    @discardableResult
    func execute(
        _ command: IMAPCommand,
        literals: IMAPCommand.LiteralForm? = nil,
        answering: ((String) throws -> String)? = nil
    ) async throws
        -> IMAPCommandResult
    {
        let tag = self.tag()
        let form: IMAPCommand.LiteralForm
        if let literals {
            form = literals
        } else if command.parts.contains(where: { if case .literal = $0 { true } else { false } }) {
            form = IMAPCommand.LiteralForm(capabilities: try await self.capabilities())
        } else {
            // Without literals the form changes nothing; asking for capabilities would cost a round trip.
            form = .synchronizing
        }
        var pieces = command.pieces(tag: tag, literals: form)[...]
        if let first = pieces.popFirst() { try await self.write(bytes: first) }
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
                if let next = pieces.popFirst() {
                    try await self.write(bytes: next)
                } else if let answering {
                    try await self.write("\(try answering(text))\r\n")
                } else {
                    throw IMAPError.malformed("an unexpected continuation: \(text)")
                }
            }
        }
    }

    /// Sends a line as it is (the rest of a command after a continuation, `DONE` after IDLE).
    public func write(_ line: String) async throws {
        try await self.write(bytes: Array(line.utf8))
    }

    /// Sends bytes as they are.
    private func write(bytes: [UInt8]) async throws {
        try await Self.transported { try await self.channel.write(bytes) }
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
            self.buffer += try await Self.transported { try await self.channel.read(within: limit) }
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
        let timer = self.channel.channel.eventLoop.scheduleTask(in: TimeAmount(duration)) { [channel = self.channel.channel] in
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
        self.channel.close()
    }
}
