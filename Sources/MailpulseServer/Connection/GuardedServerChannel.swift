internal import HummingbirdCore
internal import Logging
internal import NIOCore

/// The HTTP server's connections with a ``RequestHeadGuard`` in front, and closed once handled whatever happened:
/// a connection whose upgrade negotiation failed on a malformed request would otherwise stay open.
struct GuardedServerChannel<Inner: ServerChildChannel>: ServerChildChannel {
    typealias Value = Inner.Value

    let inner: Inner
    /// How long a new connection may take to send its first request head.
    let headDeadline: TimeAmount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(RequestHeadGuard(deadline: self.headDeadline), position: .first)
        }
        .flatMap { self.inner.setup(channel: channel, logger: logger) }
    }

    func handle(value: Value, logger: Logger) async {
        await self.inner.handle(value: value, logger: logger)
        try? await value.channel.close()
    }
}
