public import Hummingbird
public import HummingbirdWebSocket
internal import Logging
public import NIOCore

/// The request context of every HTTP route (and of the WebSocket upgrade).
public struct AppRequestContext: RequestContext, WebSocketRequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<Self>
    /// The connection the request came on.
    let channel: any Channel

    /// The peer of the connection (a proxy's address when one is in front).
    public var remoteAddress: SocketAddress? { self.channel.remoteAddress }

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.webSocket = .init()
        self.channel = source.channel
    }
}
