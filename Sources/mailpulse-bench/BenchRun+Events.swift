import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import MailpulseCore
import NIOWebSocket
import TestSupport

extension BenchRun {
    /// Makes each change in turn and times it to its event: milliseconds from the start of `make` to the first event
    /// of the account's live socket (opened at the end of its event log) that `matches` the change.
    func eventLatencies<Change: Sendable>(
        account: AccountID,
        token: String,
        changes: [Change],
        make: @escaping @Sendable (Change) async throws -> Void,
        matches: @escaping @Sendable (Change, [String: Any]) -> Bool
    ) async throws -> [Double] {
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(token)"
        let (_, log, _) = try await self.send(
            "GET",
            "\(self.service)/api/accounts/\(account)/events",
            headers: [("Authorization", "Bearer \(token)")]
        )
        let since = log["seq"] as? Int ?? 0
        let url = self.service.replacingOccurrences(of: "http://", with: "ws://") + "/api/accounts/\(account)/live?since=\(since)"
        let latencies = SharedValue<[Double]>([])
        try await WebSocketClient.connect(
            url: url,
            configuration: .init(maxFrameSize: 1 << 20, additionalHeaders: headers),
            logger: Logger(label: "bench-ws")
        ) { inbound, outbound, _ in
            var frames = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
            for change in changes {
                let start = ContinuousClock.now
                try await make(change)
                while true {
                    guard let frame = try await frames.next() else { throw BenchError("the WebSocket closed") }
                    guard case .text(let text) = frame,
                        let event = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
                    else { continue }
                    if event["type"] as? String == "reload" { throw BenchError("the socket fell behind and was told to reload") }
                    if matches(change, event) { break }
                }
                latencies.update { $0.append((ContinuousClock.now - start).timeInterval * 1000) }
            }
            try await outbound.close(.normalClosure, reason: nil)
        }
        return latencies.value
    }

    /// Whether `event` is a `message.upserted` whose message passes `test`.
    static func isUpsert(_ event: [String: Any], where test: ([String: Any]) -> Bool) -> Bool {
        guard event["type"] as? String == "message.upserted", let message = event["message"] as? [String: Any] else { return false }
        return test(message)
    }
}
