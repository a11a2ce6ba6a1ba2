internal import Foundation
internal import HTTPTransport
internal import Logging
internal import MailpulseCore
internal import ServiceLifecycle
internal import SyncEngine

/// Follows the public address of the tunnel in front of the webhooks (`TUNNEL_API_URL`): cloudflared's metrics
/// server (`GET /quicktunnel` → `{"hostname":"….trycloudflare.com"}`) or ngrok's agent API (`GET /api/tunnels` →
/// `{"tunnels":[{"public_url":"https://…"}]}`). When the address changes, the webhooks move there and a renewal
/// pass replaces the subscriptions that still send to the old one.
final class TunnelAddressService: Service, CustomStringConvertible {
    private let apiURL: String
    private let address: WebhookAddress
    private let transport: any HTTPTransport
    private let interval: Duration
    private let logger: Logger
    private let addressMoved: @Sendable () async -> Void

    init(
        apiURL: String,
        address: WebhookAddress,
        transport: any HTTPTransport,
        interval: Duration,
        logger: Logger,
        addressMoved: @escaping @Sendable () async -> Void
    ) {
        self.apiURL = apiURL.hasSuffix("/") ? String(apiURL.dropLast()) : apiURL
        self.address = address
        self.transport = transport
        self.interval = interval
        self.logger = logger
        self.addressMoved = addressMoved
    }

    var description: String { "TunnelAddressService" }

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.check()
                try? await Task.sleep(for: self.interval)
            }
        }
    }

    /// Reads the tunnel's address once; moves the webhooks when it changed.
    func check() async {
        do {
            guard let publicURL = try await self.publicURL() else {
                self.logger.info("Tunnel has no public address yet", metadata: ["tunnel.api": "\(self.apiURL)"])
                return
            }
            if self.address.move(to: WebhookEndpoints(publicURL: publicURL, path: WebhookController.path)) {
                self.logger.notice("Webhooks moved to the tunnel's address", metadata: ["webhooks.url": "\(publicURL)"])
                await self.addressMoved()
            }
        } catch {
            self.logger.warning("Tunnel address not read", metadata: ["tunnel.api": "\(self.apiURL)", "error.type": "\(error)"])
        }
    }

    private func publicURL() async throws -> String? {
        for path in ["/quicktunnel", "/api/tunnels"] {
            let response = try await self.transport.send(
                HTTPRequestData(method: "GET", url: URL(string: self.apiURL + path)!, headers: [("Accept", "application/json")], timeout: .seconds(5))
            )
            guard response.status == 200 else { continue }
            return Self.publicURL(fromTunnelAnswer: response.body)
        }
        return nil
    }

    /// The public base URL in a cloudflared `/quicktunnel` or ngrok `/api/tunnels` answer (an https one first).
    static func publicURL(fromTunnelAnswer body: Data) -> String? {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else { return nil }
        if let hostname = object["hostname"] as? String, !hostname.isEmpty {
            return "https://\(hostname)"
        }
        let urls = (object["tunnels"] as? [[String: Any]] ?? []).compactMap { $0["public_url"] as? String }.filter { !$0.isEmpty }
        return urls.first { $0.hasPrefix("https://") } ?? urls.first
    }
}
