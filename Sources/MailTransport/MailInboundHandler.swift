internal import NIOCore
internal import NIOTLS

/// Hands what a connection receives to the task that reads it: the bytes, and the end of a TLS handshake. Ends the
/// stream when the connection closes, or with the error when it fails (a failed TLS handshake included).
final class MailInboundHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let continuation: AsyncThrowingStream<MailInbound, any Error>.Continuation

    init(continuation: AsyncThrowingStream<MailInbound, any Error>.Continuation) {
        self.continuation = continuation
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.continuation.yield(.bytes(Self.unwrapInboundIn(data)))
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted? = event as? TLSUserEvent {
            self.continuation.yield(.tlsEstablished)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.continuation.finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.continuation.finish(throwing: error)
        context.close(promise: nil)
    }
}
