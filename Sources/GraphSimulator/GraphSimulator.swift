internal import HTTPTransport
public import Hummingbird
public import Logging

/// A local Microsoft Graph and identity platform, as a Hummingbird application: `/{tenant}/oauth2/v2.0/…`,
/// `/v1.0/…` and the control API under `/sim/`.
public func buildGraphSimulator(
    configuration: SimulatorConfiguration,
    host: String,
    port: Int,
    logger: Logger
) -> some ApplicationProtocol {
    let state = SimulatorState(configuration: configuration)
    let transport = URLSessionTransport()
    let dispatcher = NotificationDispatcher(transport: transport, state: state)
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: LogRequestsMiddleware(.debug))
    router.get("/health") { _, _ in HTTPResponse.Status.ok }
    IdentityRoutes(state: state).add(to: router)
    GraphRoutes(state: state, transport: transport, dispatcher: dispatcher).add(to: router)
    ControlRoutes(state: state, dispatcher: dispatcher).add(to: router)
    return Application(
        router: router,
        configuration: .init(address: .hostname(host, port: port), serverName: "graph-sim"),
        services: [dispatcher],
        logger: logger
    )
}
