internal import Foundation
internal import NIOCore
internal import NIOPosix

/// A TCP relay on a free loopback port to servers of the test's own, which can cut every connection through it at
/// once (a network that drops long-lived connections), while new ones still go through. In front of several servers
/// it is a load balancer: each connection goes to the next in turn, and one that refuses is passed over.
public final class TCPProxy: Sendable {
    /// The port clients connect to.
    public let port: Int
    private let listener: any Channel
    private let open = SharedValue<[ObjectIdentifier: any Channel]>([:])

    /// Relays connections to `targetPort` on 127.0.0.1.
    public convenience init(to targetPort: Int) async throws {
        try await self.init(to: [targetPort])
    }

    /// Relays each connection to the next of `targetPorts` on 127.0.0.1 in turn, passing over a port that refuses.
    public init(to targetPorts: [Int]) async throws {
        precondition(!targetPorts.isEmpty, "a relay needs a server behind it")
        let open = self.open
        let turn = SharedValue(0)
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { inbound in
                let first = turn.update { next in
                    defer { next &+= 1 }
                    return next
                }
                return Self.connect(on: inbound.eventLoop, to: targetPorts, from: first, tries: targetPorts.count)
                    .flatMap { outbound in
                        open.update {
                            $0[ObjectIdentifier(inbound)] = inbound
                            $0[ObjectIdentifier(outbound)] = outbound
                        }
                        let forget: @Sendable (any Channel) -> Void = { channel in
                            open.update { _ = $0.removeValue(forKey: ObjectIdentifier(channel)) }
                        }
                        return inbound.pipeline.addHandler(RelayHandler(partner: outbound, forget: forget))
                            .flatMap { outbound.pipeline.addHandler(RelayHandler(partner: inbound, forget: forget)) }
                    }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        self.listener = listener
        self.port = listener.localAddress?.port ?? 0
    }

    /// Connects to the port at `index` (wrapping), else to the ones after it, at most `tries` in all.
    private static func connect(on loop: any EventLoop, to ports: [Int], from index: Int, tries: Int) -> EventLoopFuture<any Channel> {
        ClientBootstrap(group: loop).connect(host: "127.0.0.1", port: ports[index % ports.count])
            .flatMapError { error in
                tries > 1 ? Self.connect(on: loop, to: ports, from: index + 1, tries: tries - 1) : loop.makeFailedFuture(error)
            }
    }

    /// Closes every connection open through the relay; both ends see it closed.
    public func cutAll() {
        let channels = self.open.update { open in
            defer { open = [:] }
            return Array(open.values)
        }
        for channel in channels { channel.close(promise: nil) }
    }

    /// Stops listening and cuts every connection.
    public func close() {
        self.listener.close(promise: nil)
        self.cutAll()
    }
}

/// Writes what one side reads to the other, and closes the other when one closes.
private final class RelayHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    private let partner: any Channel
    private let forget: @Sendable (any Channel) -> Void

    init(partner: any Channel, forget: @escaping @Sendable (any Channel) -> Void) {
        self.partner = partner
        self.forget = forget
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.partner.writeAndFlush(self.unwrapInboundIn(data), promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.forget(context.channel)
        self.partner.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
