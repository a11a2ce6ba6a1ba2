internal import HTTPTypes
internal import Hummingbird
internal import NIOCore
internal import NIOHTTPTypes

/// Rewrites the empty 400 of a refused WebSocket upgrade into the status and JSON message its check recorded in
/// ``UpgradeRefusals``; every other answer passes untouched.
final class UpgradeRefusalHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let refusals: UpgradeRefusals
    private var pendingBody: ByteBuffer?

    init(refusals: UpgradeRefusals) {
        self.refusals = refusals
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch self.unwrapOutboundIn(data) {
        case .head(var head) where head.status == .badRequest && head.headerFields[.contentLength] == "0":
            if let refusal = self.refusals.take(for: context.channel) {
                let body = JSONErrorMiddleware<AppRequestContext>.body(status: refusal.status, message: refusal.message)
                head.status = refusal.status
                head.headerFields[.contentType] = "application/json; charset=utf-8"
                head.headerFields[.contentLength] = "\(body.readableBytes)"
                self.pendingBody = body
            }
            context.write(self.wrapOutboundOut(.head(head)), promise: promise)
        case .end(let trailers):
            if let body = self.pendingBody {
                self.pendingBody = nil
                context.write(self.wrapOutboundOut(.body(body)), promise: nil)
            }
            context.write(self.wrapOutboundOut(.end(trailers)), promise: promise)
        default:
            context.write(data, promise: promise)
        }
    }
}
