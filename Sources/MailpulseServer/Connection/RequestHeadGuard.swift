internal import NIOCore

/// Guards a new connection until its first request head has arrived whole: the head must come within `deadline`
/// (a client that connects and sends nothing, or sends its head a byte at a time, is cut off), and its request line
/// must be printable ASCII (bytes HTTP does not allow there get a JSON 400, not a connection left hanging). Once
/// the head is in, the guard steps aside; the HTTP server's own idle timeout covers the time between requests.
final class RequestHeadGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// The longest head looked at; longer heads are the HTTP parser's to refuse.
    static let maximumHeadBytes = 64 * 1024

    private let deadline: TimeAmount
    private var timer: Scheduled<Void>?
    /// The last bytes seen, to find the blank line that ends the head across reads.
    private var tail: [UInt8] = []
    private var seen = 0
    private var requestLineDone = false
    private var refused = false

    init(deadline: TimeAmount) {
        self.deadline = deadline
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        self.timer = context.eventLoop.scheduleTask(in: self.deadline) {
            loopBound.value.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.timer?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !self.refused else { return }
        let buffer = self.unwrapInboundIn(data)
        var headEnded = false
        for byte in buffer.readableBytesView {
            self.seen += 1
            if !self.requestLineDone {
                if byte == UInt8(ascii: "\n") {
                    self.requestLineDone = true
                } else if byte != UInt8(ascii: "\r") && !(0x20...0x7E).contains(byte) {
                    return self.refuse(context)
                }
            }
            self.tail.append(byte)
            if self.tail.count > 4 { self.tail.removeFirst() }
            if self.tail == Array("\r\n\r\n".utf8) || self.tail.suffix(2) == Array("\n\n".utf8) {
                headEnded = true
                break
            }
        }
        context.fireChannelRead(data)
        if headEnded || self.seen > Self.maximumHeadBytes {
            context.pipeline.syncOperations.removeHandler(self, promise: nil)
        }
    }

    /// Answers a request line HTTP does not allow with a JSON 400 and closes.
    private func refuse(_ context: ChannelHandlerContext) {
        self.refused = true
        let body = #"{"error":{"message":"the request line must be printable ASCII (percent-encode other bytes)","status":400}}"#
        let response =
            "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\n"
            + "X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n\(body)"
        context.writeAndFlush(NIOAny(context.channel.allocator.buffer(string: response))).whenComplete { _ in
            context.close(promise: nil)
        }
    }
}
