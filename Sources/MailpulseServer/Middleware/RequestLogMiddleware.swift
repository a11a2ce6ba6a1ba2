public import Hummingbird
internal import Logging

/// Logs each request's method, path and status, never its query string: OAuth callbacks carry the authorization
/// `code` and `state` there, and a log is no place for either.
public struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Creates the middleware.
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // Printable ASCII only, so a path cannot forge log lines.
        let path = String(request.uri.path.unicodeScalars.prefix(256).map { (0x20..<0x7F).contains($0.value) ? Character($0) : "?" })
        let metadata: Logger.Metadata = ["http.method": "\(request.method)", "http.path": "\(path)"]
        do {
            let response = try await next(request, context)
            context.logger.info("Request", metadata: metadata.merging(["http.status": "\(response.status.code)"]) { $1 })
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            context.logger.info("Request", metadata: metadata.merging(["http.status": "\(status)"]) { $1 })
            throw error
        }
    }
}
