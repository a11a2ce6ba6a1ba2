internal import Hummingbird

/// On the WebSocket router: records why an upgrade was refused (``UpgradeRefusals``), so the connection's answer
/// carries that status and message rather than the WebSocket library's empty 400.
struct UpgradeRefusalMiddleware: RouterMiddleware {
    let refusals: UpgradeRefusals

    func handle(
        _ request: Request,
        context: AppRequestContext,
        next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            self.refusals.record(.init(status: error.status, message: error.body ?? error.status.reasonPhrase), for: context.channel)
            throw error
        }
    }
}
