import Testing

@testable import MailpulseServer

/// Metric and label names as Prometheus allows them.
@Suite struct MailpulseMetricsTests {
    @Test func allowedNamesAreKeptAndOthersHaveEachCharacterReplaced() {
        #expect(MailpulseMetrics.sanitized("mailpulse_webhook_notifications_total") == "mailpulse_webhook_notifications_total")
        #expect(MailpulseMetrics.sanitized("Rule:Level_9") == "Rule:Level_9")
        #expect(MailpulseMetrics.sanitized("hb.requests") == "hb_requests")
        #expect(MailpulseMetrics.sanitized("http.server-request duration") == "http_server_request_duration")
        // One `_` per character, however many bytes it takes.
        #expect(MailpulseMetrics.sanitized("délai_é") == "d_lai__")
        #expect(MailpulseMetrics.sanitized("") == "")
    }
}
