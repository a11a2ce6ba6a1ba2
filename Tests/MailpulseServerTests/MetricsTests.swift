import Foundation
import MailpulseCore
import TestSupport
import Testing

/// `GET /metrics`: what the node did, in Prometheus's text format.
@Suite(.enabled(if: TestEnvironment.hasRedis, "needs REDIS_URL (make test provides it)"))
struct MetricsTests {
    @Test func aLinkedAccountsWorkShowsInThePrometheusText() async throws {
        try await LinkHarness.run { harness in
            let (account, token) = try await TokenRefreshTests.link(harness)
            let rejected = #"{"value":[{"subscriptionId":"nope","clientState":"x","changeType":"updated","resource":"me/messages/1"}]}"#
            #expect(try await harness.send("POST", "/webhooks/graph", json: rejected).status == 202)
            try await LiveEventsTests.connect(harness, account, token: token, since: 0) { next in
                _ = try await next()
                let reply = try await harness.send("GET", "/metrics")
                #expect(reply.status == 200)
                #expect(reply.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
                let text = reply.text
                for sample in [
                    #"mailpulse_provider_requests_total{provider="outlook",endpoint="messages.delta",outcome="ok"}"#,
                    #"mailpulse_provider_requests_total{provider="outlook",endpoint="subscriptions.create",outcome="ok"}"#,
                    #"mailpulse_webhook_notifications_total{result="unknown_subscription"}"#,
                    #"mailpulse_account_events_total{type="sync.progress"}"#,
                    #"mailpulse_sync_duration_seconds_count{kind="initial"}"#,
                    "mailpulse_notification_stream_length ",
                    "mailpulse_notification_dead_letters ",
                    "mailpulse_websocket_clients ",
                    #"hb_requests{http_route="/api/accounts/{id}""#,
                ] {
                    #expect(text.contains(sample), "\(sample) missing")
                }
                let clients = text.split(separator: "\n").first { $0.hasPrefix("mailpulse_websocket_clients ") }
                #expect(clients.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0 >= 1, "this test's socket is counted")
            }
        }
    }
}
