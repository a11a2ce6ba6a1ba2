import Foundation
import HTTPTransport
import HTTPTypes
import HummingbirdWSClient
import Logging
import MailpulseCore
import NIOWebSocket
import TestSupport

/// Live sockets of several accounts at once, each opened at the end of its account's event log, reporting the
/// account and id of every message an event upserts and when it arrived, until stopped.
final class EventListeners: Sendable {
    private let tasks: [Task<Void, Never>]

    /// Opens a socket per account on the service at `url`; returns once every one is open.
    init(
        _ accounts: [(url: String, account: AccountID, token: String)],
        report: @escaping @Sendable (AccountID, String, ContinuousClock.Instant) -> Void
    ) async throws {
        let open = SharedValue(0)
        var tasks: [Task<Void, Never>] = []
        for (service, account, token) in accounts {
            let log = try await URLSessionTransport().send(
                HTTPRequestData(
                    method: "GET",
                    url: URL(string: "\(service)/api/accounts/\(account)/events")!,
                    headers: [("Authorization", "Bearer \(token)")],
                    timeout: .seconds(10)
                )
            )
            let since = ((try? JSONSerialization.jsonObject(with: log.body)) as? [String: Any])?["seq"] as? Int ?? 0
            let url = service.replacingOccurrences(of: "http://", with: "ws://") + "/api/accounts/\(account)/live?since=\(since)"
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(token)"
            let configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 20, additionalHeaders: headers)
            tasks.append(
                Task {
                    _ = try? await WebSocketClient.connect(url: url, configuration: configuration, logger: Logger(label: "bench-ws")) {
                        inbound,
                        _,
                        _ in
                        open.update { $0 += 1 }
                        for try await frame in inbound.messages(maxSize: 1 << 20) {
                            guard case .text(let text) = frame,
                                let event = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                                event["type"] as? String == "message.upserted",
                                let id = (event["message"] as? [String: Any])?["id"] as? String
                            else { continue }
                            report(account, id, ContinuousClock.now)
                        }
                    }
                }
            )
        }
        self.tasks = tasks
        try await BenchRun.waitUntil("every socket is open", timeout: .seconds(30)) { open.value == accounts.count }
    }

    /// Closes every socket.
    func stop() {
        for task in self.tasks { task.cancel() }
    }
}
