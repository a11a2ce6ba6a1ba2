internal import Hummingbird
internal import Logging
internal import MailpulseCore
internal import Metrics
internal import Prometheus

/// `GET /metrics`: the node's metrics in Prometheus's text format, with the notification stream's backlog and dead
/// letters read from Redis at each scrape.
struct MetricsController: Sendable {
    let queue: any ChangeQueue

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("metrics", use: self.metrics)
        return routes
    }

    @Sendable func metrics(_ request: Request, context: AppRequestContext) async throws -> Response {
        do {
            // Acknowledged entries are deleted, so the stream's length is the backlog every node shares.
            Gauge(label: "mailpulse_notification_stream_length").record(try await self.queue.length())
            Gauge(label: "mailpulse_notification_dead_letters").record(try await self.queue.deadLetterCount())
        } catch {
            context.logger.warning("Stream metrics not read", metadata: ["error.type": "\(error)"])
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: MailpulseMetrics.registry.emitToString()))
        )
    }
}
