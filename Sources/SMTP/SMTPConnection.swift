internal import Foundation
public import MIME

/// One connection to an SMTP submission server (RFC 5321, RFC 6409): the greeting and EHLO, TLS (implicit, or
/// STARTTLS and EHLO again), sign-in, then messages with MAIL FROM, RCPT TO and DATA, and QUIT. Every wait for the
/// server is bounded by `timeout`, every reply by ``SMTPLimits``; a connection that timed out is closed. Used by one
/// task at a time.
public final class SMTPConnection {
    private let channel: MailChannel
    private var buffer: [UInt8] = []
    private let parser: SMTPReplyParser
    private let timeout: Duration
    /// The name the client gives itself in EHLO.
    private let localName: String
    /// How the server greeted this connection.
    public private(set) var greeting: SMTPReply
    /// What the server announced in its last EHLO reply (the one under TLS, when there is TLS).
    public private(set) var extensions = SMTPExtensions()

    private init(channel: MailChannel, limits: SMTPLimits, timeout: Duration, localName: String) {
        self.channel = channel
        self.parser = SMTPReplyParser(limits: limits)
        self.timeout = timeout
        self.localName = localName
        self.greeting = SMTPReply(code: 0, lines: [])
    }

    deinit {
        self.channel.close()
    }

    /// Connects, reads the greeting (220) and sends EHLO. With `.tls` (port 465, RFC 8314) the TLS handshake comes
    /// first; with `.starttls` (port 587) the client asks for TLS after EHLO, refuses a server that does not offer it
    /// (never going on in plain text), and sends EHLO again once protected. Certificates are verified against
    /// `trustRoots` (unused with `.none`), chain and host name; any TLS failure is ``SMTPError/tlsFailed(_:)``.
    /// `localName` is the client's name in EHLO (a host name or an address literal such as `[127.0.0.1]`).
    public static func connect(
        host: String,
        port: Int,
        security: MailSecurity = .starttls,
        trustRoots: MailTrustRoots = .system,
        localName: String = "localhost",
        limits: SMTPLimits = SMTPLimits(),
        timeout: Duration = .seconds(60)
    ) async throws -> SMTPConnection {
        guard Self.isSafeArgument(localName), !localName.isEmpty else { throw SMTPError.invalidArgument("\"\(localName)\" is no EHLO name") }
        let channel = try await Self.transported {
            try await MailChannel.connect(
                host: host,
                port: port,
                security: security,
                trustRoots: trustRoots,
                timeout: timeout,
                ports: "SMTP submission over TLS is usually port 465, STARTTLS port 587"
            )
        }
        let connection = SMTPConnection(channel: channel, limits: limits, timeout: timeout, localName: localName)
        do {
            let greeting = try await connection.reply()
            guard greeting.code == 220 else { throw Self.failure(greeting) }
            connection.greeting = greeting
            try await connection.hello()
            if security == .starttls { try await connection.startTLS() }
        } catch {
            connection.close()
            throw error
        }
        return connection
    }

    /// EHLO, or HELO from a server that does not know EHLO (it then offers no extension).
    private func hello() async throws {
        let reply = try await self.command("EHLO \(self.localName)")
        if reply.isSuccess {
            self.extensions = SMTPExtensions(ehlo: reply)
            return
        }
        guard reply.code == 500 || reply.code == 502 else { throw Self.failure(reply) }
        let helo = try await self.command("HELO \(self.localName)")
        guard helo.isSuccess else { throw Self.failure(helo) }
        self.extensions = SMTPExtensions()
    }

    /// STARTTLS (RFC 3207): asks for TLS, puts TLS in front on the server's 220, waits for the handshake, and sends
    /// EHLO again (what the server announced before was unprotected, and may differ).
    private func startTLS() async throws {
        guard self.extensions.contains("STARTTLS") else {
            throw SMTPError.tlsFailed(
                "\(self.channel.host):\(self.channel.port) does not offer STARTTLS, so the connection did not go on in plain text; "
                    + "try MailSecurity.tls (usually port 465)"
            )
        }
        let reply = try await self.command("STARTTLS")
        guard reply.code == 220 else { throw SMTPError.tlsFailed("\(self.channel.host):\(self.channel.port) refused STARTTLS: \(reply)") }
        // Bytes after the 220 came before TLS, unprotected: an attacker's injected replies would look like the server's.
        guard self.buffer.isEmpty else {
            throw SMTPError.tlsFailed("\(self.channel.host):\(self.channel.port) sent data after STARTTLS's 220, before TLS began")
        }
        try await Self.transported { try await self.channel.startTLS(within: self.timeout) }
        self.extensions = SMTPExtensions()
        try await self.hello()
    }

    /// Signs in with a user name and password (RFC 4954): AUTH PLAIN with the credentials in the command when the
    /// server offers it, else AUTH LOGIN. Refused credentials are ``SMTPError/authenticationFailed(_:)``.
    public func authenticate(username: String, password: String) async throws {
        let mechanisms = self.extensions.authenticationMechanisms
        if mechanisms.contains("PLAIN") {
            let credentials = Data("\0\(username)\0\(password)".utf8).base64EncodedString()
            try await self.authenticate(command: "AUTH PLAIN \(credentials)", challenges: [])
        } else if mechanisms.contains("LOGIN") {
            try await self.authenticate(
                command: "AUTH LOGIN",
                challenges: [Data(username.utf8).base64EncodedString(), Data(password.utf8).base64EncodedString()]
            )
        } else {
            throw SMTPError.authenticationUnavailable(mechanisms.isEmpty ? "no AUTH" : mechanisms.sorted().joined(separator: " "))
        }
    }

    /// Signs in with an OAuth 2.0 access token by XOAUTH2 (Google's and Microsoft's mechanism). A token the server
    /// refuses is ``SMTPError/authenticationFailed(_:)``, its text followed by the server's JSON error.
    public func authenticate(user: String, accessToken: String) async throws {
        guard self.extensions.authenticationMechanisms.contains("XOAUTH2") else {
            throw SMTPError.authenticationUnavailable(self.extensions.authenticationMechanisms.sorted().joined(separator: " "))
        }
        guard Self.isSafeArgument(user), Self.isSafeArgument(accessToken) else {
            throw SMTPError.invalidArgument("a user or token with a line break cannot be sent")
        }
        let initial = Data("user=\(user)\u{1}auth=Bearer \(accessToken)\u{1}\u{1}".utf8).base64EncodedString()
        try await self.authenticate(command: "AUTH XOAUTH2 \(initial)", challenges: [])
    }

    /// Runs an AUTH exchange: `command`, then each of `challenges` after a 334; a further 334 is the server's error
    /// (XOAUTH2's base64 JSON), acknowledged with an empty line so it can answer 535.
    private func authenticate(command: String, challenges: [String]) async throws {
        var answers = challenges[...]
        var serverError: String?
        var reply = try await self.command(command)
        while reply.code == 334 {
            if let answer = answers.popFirst() {
                reply = try await self.command(answer)
            } else {
                guard serverError == nil else { throw SMTPError.malformed("a second challenge after an authentication error: \(reply)") }
                serverError = Data(base64Encoded: reply.text).map { String(decoding: $0, as: UTF8.self) } ?? reply.text
                reply = try await self.command("")
            }
        }
        guard reply.code == 235 || reply.isSuccess else {
            var refused = reply
            if let serverError { refused.lines.append(serverError) }
            if reply.code == 535 || reply.code == 534 || reply.code == 530 || reply.code == 538 { throw SMTPError.authenticationFailed(refused) }
            throw Self.failure(refused)
        }
    }

    /// Renders `message` and sends it to its recipients (To, Cc and Bcc) from its sender's address: ``send(_:from:to:)``.
    public func send(_ message: ComposedMessage) async throws {
        try await self.send(try message.render(), from: message.from.address, to: message.recipients)
    }

    /// Sends one message: MAIL FROM (with SIZE= and BODY=8BITMIME where the server offers them), RCPT TO for each
    /// recipient, DATA with the message's line ends made CR LF and its lines starting with `.` doubled. A message
    /// larger than the server's SIZE is refused before anything is sent (``SMTPError/messageTooLarge(size:limit:reply:)``).
    /// When the server refuses any recipient, nothing is sent and ``SMTPError/recipientsRefused(_:)`` names each with
    /// the server's reply; the connection stays usable (RSET). 4xx replies are ``SMTPError/temporaryFailure(_:)``.
    public func send(_ message: [UInt8], from sender: String, to recipients: [String]) async throws {
        guard !recipients.isEmpty else { throw SMTPError.invalidArgument("a message needs at least one recipient") }
        for address in [sender] + recipients {
            guard Self.isSafeArgument(address), !address.contains("<"), !address.contains(">"), !address.contains(" ") else {
                throw SMTPError.invalidArgument("\"\(address)\" cannot be sent as an address")
            }
        }
        let data = Self.dataBytes(message)
        // RFC 1870: the size as sent, near enough (dot-stuffing adds little).
        let size = data.count - 3
        if let limit = self.extensions.maximumSize, size > limit {
            throw SMTPError.messageTooLarge(size: size, limit: limit, reply: nil)
        }
        var mail = "MAIL FROM:<\(sender)>"
        if self.extensions.contains("SIZE") { mail += " SIZE=\(size)" }
        if self.extensions.contains("8BITMIME"), message.contains(where: { $0 >= 0x80 }) { mail += " BODY=8BITMIME" }
        let mailReply = try await self.command(mail)
        guard mailReply.isSuccess else { throw Self.failure(mailReply, size: size, limit: self.extensions.maximumSize) }
        var refusals: [SMTPRecipientRefusal] = []
        for recipient in recipients {
            let reply = try await self.command("RCPT TO:<\(recipient)>")
            if !reply.isSuccess {
                if reply.code == 421 { throw SMTPError.closed(reply.description) }
                refusals.append(SMTPRecipientRefusal(recipient: recipient, reply: reply))
            }
        }
        guard refusals.isEmpty else {
            try await self.reset()
            throw SMTPError.recipientsRefused(refusals)
        }
        let go = try await self.command("DATA")
        guard go.code == 354 else { throw Self.failure(go, size: size, limit: self.extensions.maximumSize) }
        try await self.write(data)
        let accepted = try await self.reply()
        guard accepted.isSuccess else { throw Self.failure(accepted, size: size, limit: self.extensions.maximumSize) }
    }

    /// RSET: forgets the transaction begun (after a refusal).
    public func reset() async throws {
        let reply = try await self.command("RSET")
        guard reply.isSuccess else { throw Self.failure(reply) }
    }

    /// QUIT, then closes the connection whatever the server answered (or if it did not).
    public func quit() async {
        _ = try? await self.command("QUIT")
        self.close()
    }

    /// Closes the connection.
    public func close() {
        self.channel.close()
    }

    /// The bytes DATA sends: line ends made CR LF (bare CR or LF too), a `.` starting a line doubled (RFC 5321
    /// §4.5.2), a last line end added, then the `.` line that ends the data.
    static func dataBytes(_ message: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(message.count + message.count / 40 + 5)
        var atLineStart = true
        var index = 0
        while index < message.count {
            let byte = message[index]
            if byte == 0x0D || byte == 0x0A {
                result += [0x0D, 0x0A]
                index += byte == 0x0D && index + 1 < message.count && message[index + 1] == 0x0A ? 2 : 1
                atLineStart = true
                continue
            }
            if atLineStart, byte == UInt8(ascii: ".") { result.append(UInt8(ascii: ".")) }
            result.append(byte)
            atLineStart = false
            index += 1
        }
        if !atLineStart { result += [0x0D, 0x0A] }
        result += Array(".\r\n".utf8)
        return result
    }

    /// The error for a reply that is no success: too large (552), temporary (4xx), closing (421), else rejected.
    private static func failure(_ reply: SMTPReply, size: Int? = nil, limit: Int? = nil) -> SMTPError {
        if reply.code == 421 { return .closed(reply.description) }
        if reply.code == 552, let size { return .messageTooLarge(size: size, limit: limit, reply: reply) }
        if reply.isTransient { return .temporaryFailure(reply) }
        return .rejected(reply)
    }

    /// Whether `text` holds no CR, LF or NUL, which would end a command early and start another.
    private static func isSafeArgument(_ text: String) -> Bool {
        !text.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0 }
    }

    /// Sends a command line (CR LF added) and reads its reply.
    private func command(_ line: String) async throws -> SMTPReply {
        guard Self.isSafeArgument(line) else { throw SMTPError.invalidArgument("a command with a line break cannot be sent") }
        try await self.write(Array("\(line)\r\n".utf8))
        return try await self.reply()
    }

    private func write(_ bytes: [UInt8]) async throws {
        try await Self.transported { try await self.channel.write(bytes) }
    }

    /// The next reply, within the timeout.
    private func reply() async throws -> SMTPReply {
        while true {
            do {
                if let reply = try self.parser.next(from: &self.buffer) { return reply }
            } catch {
                self.close()
                throw error
            }
            self.buffer += try await Self.transported { try await self.channel.read(within: self.timeout) }
        }
    }

    /// What `body` does with the connection's byte stream, its failures told as ``SMTPError``.
    private static func transported<Value>(_ body: () async throws -> Value) async throws -> Value {
        do {
            return try await body()
        } catch let error as MailTransportError {
            switch error {
            case .unreachable(let reason): throw SMTPError.unreachable(reason)
            case .closed(let reason): throw SMTPError.closed(reason)
            case .timedOut: throw SMTPError.timedOut
            case .tlsFailed(let reason): throw SMTPError.tlsFailed(reason)
            }
        }
    }
}
