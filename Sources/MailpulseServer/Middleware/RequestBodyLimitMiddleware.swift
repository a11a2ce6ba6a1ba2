public import Hummingbird

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

    /// Creates the middleware.
    public init(maximumBytes: Int, deadline: Duration, largerBodies: [String: Int] = [:]) {
        self.maximumBytes = maximumBytes
        self.deadline = deadline
        self.largerBodies = largerBodies
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
        let (body, deadline, limit) = (request.body, self.deadline, maximumBytes)
        do {
            // Collecting here bounds bodies sent without a length (chunked) as well.
            let collected = try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
                group.addTask { try await body.collect(upTo: limit) }
                group.addTask {
                    try await Task.sleep(for: deadline)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let buffer = first else {
                    throw HTTPError(.requestTimeout, message: "the request body did not arrive within \(deadline)")
                }
                return buffer
            }
            request.body = .init(buffer: collected)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw tooLarge
        }
        return try await next(request, context)
    }
}
