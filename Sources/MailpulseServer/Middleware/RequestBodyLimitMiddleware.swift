public import Hummingbird
internal import MailTransport
public import NIOCore

/// Refuses a request body larger than `maximumBytes` (or, for a POST to a path ending in one of `largerBodies`' keys,
/// its value) with 413, or one that has not arrived whole within `deadline` with 408, before any handler sees it: a
/// client that trickles its body cannot hold a connection for ever.
public struct RequestBodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The largest body accepted.
    public let maximumBytes: Int
    /// How long the whole body may take to arrive.
    public let deadline: Duration
    /// Larger limits for POSTs to paths ending in these suffixes (a message with attachments).
    public let largerBodies: [String: Int]
    /// Where the deadlines are timed: the server's event loops.
    private let timers: any EventLoopGroup

    /// Creates the middleware; its deadlines are timed on `timers`.
    public init(
        maximumBytes: Int,
        deadline: Duration,
        largerBodies: [String: Int] = [:],
        timers: any EventLoopGroup = EventLoopGroupProvider.singleton.eventLoopGroup
    ) {
        self.maximumBytes = maximumBytes
        self.deadline = deadline
        self.largerBodies = largerBodies
        self.timers = timers
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var maximumBytes = self.maximumBytes
        if request.method == .post, let larger = self.largerBodies.first(where: { request.uri.path.hasSuffix($0.key) })?.value {
            maximumBytes = max(maximumBytes, larger)
        }
        let tooLarge = HTTPError(.contentTooLarge, message: "the request body exceeds \(maximumBytes) bytes")
        let length = request.headers[.contentLength].flatMap { Int($0) }
        if let length, length > maximumBytes {
            throw tooLarge
        }
        // A request with neither a length nor chunks has no body (HTTP/1.1): nothing to wait for.
        if length == 0 || (length == nil && request.headers[.transferEncoding] == nil) {
            return try await next(request, context)
        }
        var request = request
        let (body, limit) = (request.body, maximumBytes)
        // Collecting here bounds bodies sent without a length (chunked) as well. The deadline is an event-loop timer,
        // not a sleeping task: a cancelled sleep's timer stays queued until it is due, so every request would leave
        // one behind for the whole deadline (a minute of them under load).
        let collecting = Task { try await body.collect(upTo: limit) }
        let expired = OnceFlag()
        let timer = self.timers.any().scheduleTask(in: TimeAmount(self.deadline)) {
            expired.raise()
            collecting.cancel()
        }
        defer { timer.cancel() }
        let collected: ByteBuffer?
        do {
            collected = try await withTaskCancellationHandler {
                try await collecting.value
            } onCancel: {
                collecting.cancel()
            }
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge && !expired.isRaised {
            throw tooLarge
        } catch {
            guard expired.isRaised else { throw error }
            collected = nil
        }
        // A body cut short by the deadline may have come back as if whole.
        guard let collected, !expired.isRaised else {
            throw HTTPError(.requestTimeout, message: "the request body did not arrive within \(self.deadline)")
        }
        request.body = .init(buffer: collected)
        return try await next(request, context)
    }
}
