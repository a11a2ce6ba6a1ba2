package import NIOCore
internal import NIOPosix
internal import NIOSSL

/// The byte stream under a mail protocol (IMAP, SMTP): a TCP connection, TLS from the first byte or after the
/// protocol's `STARTTLS`, with full certificate verification, and reads bounded by a deadline. The protocol parses
/// what it reads. Used by one task at a time.
package final class MailChannel {
    /// The NIO channel, for timers and writes a protocol sends from the event loop (IMAP's `DONE`).
    package let channel: any Channel
    private var received: AsyncThrowingStream<MailInbound, any Error>.AsyncIterator
    /// Ends `received` at a deadline at once: closing a TLS channel waits for the server's close_notify first.
    private let endOfReceived: AsyncThrowingStream<MailInbound, any Error>.Continuation
    /// The TLS context for a later ``startTLS()`` (`nil` with `.none`).
    private let tlsContext: NIOSSLContext?
    /// Where the connection goes, for TLS's checks and for what errors say.
    package let host: String
    package let port: Int
    /// The protocol's usual ports, said when a TLS handshake meets a plain-text server.
    private let ports: String

    private init(
        channel: any Channel,
        received: AsyncThrowingStream<MailInbound, any Error>,
        endOfReceived: AsyncThrowingStream<MailInbound, any Error>.Continuation,
        tlsContext: NIOSSLContext?,
        host: String,
        port: Int,
        ports: String
    ) {
        self.channel = channel
        self.received = received.makeAsyncIterator()
        self.endOfReceived = endOfReceived
        self.tlsContext = tlsContext
        self.host = host
        self.port = port
        self.ports = ports
    }

    deinit {
        self.channel.close(promise: nil)
    }

    /// Connects within `timeout`; with `.tls` also completes the TLS handshake (certificate verified against
    /// `trustRoots`, chain and host name). `.starttls` connects in plain text: the protocol asks for TLS, then calls
    /// ``startTLS(within:)``. `ports` names the protocol's usual ports for errors (`"IMAP over TLS is usually port
    /// 993"`). Throws ``MailTransportError``.
    package static func connect(
        host: String,
        port: Int,
        security: MailSecurity,
        trustRoots: MailTrustRoots,
        timeout: Duration,
        ports: String
    ) async throws -> MailChannel {
        let tlsContext = security == .none ? nil : try MailTLS.context(trusting: trustRoots)
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: MailInbound.self)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(TimeAmount(timeout))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if security == .tls, let tlsContext {
                            try channel.pipeline.syncOperations.addHandler(MailTLS.handler(context: tlsContext, host: host))
                        }
                        try channel.pipeline.syncOperations.addHandler(MailInboundHandler(continuation: continuation))
                    }
                }
                .connect(host: host, port: port)
                .get()
        } catch let error as MailTransportError {
            throw error
        } catch {
            throw MailTransportError.unreachable("\(host):\(port): \(error)")
        }
        let connection = MailChannel(
            channel: channel,
            received: stream,
            endOfReceived: continuation,
            tlsContext: tlsContext,
            host: host,
            port: port,
            ports: ports
        )
        if security == .tls {
            do {
                try await connection.awaitTLSHandshake(within: timeout)
            } catch {
                connection.close()
                throw error
            }
        }
        return connection
    }

    /// Puts TLS in front of the connection (after the server agreed to STARTTLS) and waits for the handshake.
    package func startTLS(within limit: Duration) async throws {
        guard let context = self.tlsContext else { throw MailTransportError.tlsFailed("no TLS context: the connection was made without TLS") }
        let host = self.host
        do {
            try await self.channel.eventLoop.submit { [channel] in
                try channel.pipeline.syncOperations.addHandler(MailTLS.handler(context: context, host: host), position: .first)
            }.get()
        } catch let error as MailTransportError {
            throw error
        } catch {
            throw MailTransportError.closed("\(error)")
        }
        try await self.awaitTLSHandshake(within: limit)
    }

    /// Waits, within `limit`, until the TLS handshake has completed and the certificate was verified. A failure is
    /// ``MailTransportError/tlsFailed(_:)``, and so is a server that closes the connection instead.
    private func awaitTLSHandshake(within limit: Duration) async throws {
        while true {
            let inbound: MailInbound
            do {
                inbound = try await self.nextInbound(within: limit)
            } catch MailTransportError.closed(let reason) {
                throw MailTransportError.tlsFailed("\(self.host):\(self.port) closed the connection during the TLS handshake: \(reason)")
            }
            switch inbound {
            case .tlsEstablished: return
            case .bytes: throw MailTransportError.tlsFailed("\(self.host):\(self.port) sent plain text where the TLS handshake was due")
            }
        }
    }

    /// The next bytes from the server, within `limit`: past it the connection is closed and
    /// ``MailTransportError/timedOut`` thrown.
    package func read(within limit: Duration) async throws -> [UInt8] {
        while true {
            if case .bytes(var bytes) = try await self.nextInbound(within: limit) {
                return bytes.readBytes(length: bytes.readableBytes) ?? []
            }
        }
    }

    /// What the channel hands over next, within `limit`: past it the connection is closed and
    /// ``MailTransportError/timedOut`` thrown. A TLS failure is ``MailTransportError/tlsFailed(_:)``, any other end of
    /// the connection ``MailTransportError/closed(_:)``.
    private func nextInbound(within limit: Duration) async throws -> MailInbound {
        let expired = OnceFlag()
        let watchdog = self.channel.eventLoop.scheduleTask(in: TimeAmount(limit)) { [channel, endOfReceived] in
            expired.raise()
            endOfReceived.finish()
            channel.close(promise: nil)
        }
        defer { watchdog.cancel() }
        let inbound: MailInbound?
        do {
            inbound = try await self.received.next()
        } catch {
            // The watchdog's close fails a TLS handshake in progress: that is the deadline, not the server's doing.
            if expired.isRaised { throw MailTransportError.timedOut }
            if let failure = MailTLS.failureDescription(of: error, host: self.host, port: self.port, ports: self.ports) {
                throw MailTransportError.tlsFailed(failure)
            }
            throw MailTransportError.closed("\(error)")
        }
        // Past the deadline the channel is closing even if something arrived just before.
        guard let inbound, !expired.isRaised else {
            throw expired.isRaised ? MailTransportError.timedOut : MailTransportError.closed("the server closed the connection")
        }
        return inbound
    }

    /// Sends bytes as they are.
    package func write(_ bytes: [UInt8]) async throws {
        do {
            try await self.channel.writeAndFlush(ByteBuffer(bytes: bytes))
        } catch {
            throw MailTransportError.closed("\(error)")
        }
    }

    /// Closes the connection.
    package func close() {
        self.channel.close(promise: nil)
    }
}
