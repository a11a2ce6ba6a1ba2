internal import Foundation
public import Hummingbird
internal import Logging
public import MailpulseCore

/// `/health` (the process answers) and `/ready` (Redis and the store answer too).
public struct HealthController<Context: RequestContext>: Sendable {
    let store: any MailStore
    let backplane: any Backplane

    /// Creates the controller.
    public init(store: any MailStore, backplane: any Backplane) {
        self.store = store
        self.backplane = backplane
    }

    /// The routes.
    public var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("health", use: self.health)
        routes.get("ready", use: self.ready)
        return routes
    }

    @Sendable func health(_ request: Request, context: Context) async throws -> HealthReport {
        HealthReport(status: "ok", checks: [:])
    }

    @Sendable func ready(_ request: Request, context: Context) async throws -> EditedResponse<HealthReport> {
        async let redis = Self.check { try await self.backplane.checkHealth() }
        async let store = Self.check { try await self.store.checkHealth() }
        let checks = ["redis": await redis, "store": await store]
        let failing = checks.filter { $0.value != "ok" }.keys.sorted()
        if failing.isEmpty {
            return EditedResponse(status: .ok, response: HealthReport(status: "ready", checks: checks))
        }
        context.logger.warning("Not ready", metadata: ["ready.failing": "\(failing.joined(separator: ","))"])
        let report = HealthReport(status: "unavailable", checks: checks, message: "unreachable: \(failing.joined(separator: ", "))")
        return EditedResponse(status: .serviceUnavailable, response: report)
    }

    private static func check(_ probe: () async throws -> Void) async -> String {
        do {
            try await probe()
            return "ok"
        } catch {
            return "error: \(error)"
        }
    }
}

/// The body of `/health` and `/ready`.
public struct HealthReport: ResponseEncodable, Equatable {
    /// `ok`, `ready` or `unavailable`.
    public var status: String
    /// Each dependency and `ok` or the error that reached it.
    public var checks: [String: String]
    /// Which dependencies failed, when some did.
    public var message: String?

    /// Creates a report.
    public init(status: String, checks: [String: String], message: String? = nil) {
        self.status = status
        self.checks = checks
        self.message = message
    }
}
