internal import HTTPTypes
public import Hummingbird

/// Adds the headers that keep browsers from misreading answers: `X-Content-Type-Options: nosniff` everywhere, and a
/// Content-Security-Policy that lets the pages load only their own scripts, styles and connections and be framed by
/// nobody (`frame-ancestors 'none'`, with `X-Frame-Options: DENY` for older browsers). An answer that sets its own
/// policy keeps it.
public struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The policy of every answer: the pages are served from this origin and use nothing else.
    private let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"

    /// Creates the middleware.
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        // An answer with a policy of its own (a message body, shown in a sandboxed frame of the pages) keeps it.
        if response.headers[.contentSecurityPolicy] == nil {
            response.headers[.contentSecurityPolicy] = self.contentSecurityPolicy
            response.headers[.xFrameOptions] = "DENY"
        }
        response.headers[.referrerPolicy] = "no-referrer"
        return response
    }
}

extension HTTPField.Name {
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
}
