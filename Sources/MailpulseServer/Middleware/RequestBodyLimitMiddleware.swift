public import Hummingbird

/// Refuses a request body larger than `maximumBytes` with 413 before any handler sees it.
public struct RequestBodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The largest body accepted.
    public let maximumBytes: Int

    /// Creates the middleware.
    public init(maximumBytes: Int) {
        self.maximumBytes = maximumBytes
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let tooLarge = HTTPError(.contentTooLarge, message: "the request body exceeds \(self.maximumBytes) bytes")
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > self.maximumBytes {
            throw tooLarge
        }
        var request = request
        do {
            // Collecting here bounds bodies sent without a length (chunked) as well.
            _ = try await request.collectBody(upTo: self.maximumBytes)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw tooLarge
        }
        return try await next(request, context)
    }
}
