public import Hummingbird
public import HummingbirdWebSocket
internal import Logging

/// The request context of every HTTP route (and of the WebSocket upgrade).
public struct AppRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<Self>

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.webSocket = .init()
    }
}
