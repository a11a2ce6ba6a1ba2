/// What the simulator counted, served by `GET /sim/stats`.
struct SimulatorStats: Sendable {
    enum Delivery {
        case sent
        case dropped
        case duplicated
        case failed
        case retried
    }

    var requests: [String: [String: Int]] = [:]
    /// Every request counted in `requests`, for a client that samples the rate without reading them all.
    var requestsTotal = 0
    var throttled = 0
    /// Requests that arrived while a 429's Retry-After ran (after a short grace for requests already on their way).
    var requestsDuringRetryAfter = 0
    var notificationsSent = 0
    var notificationsDropped = 0
    var notificationsDuplicated = 0
    var notificationsFailed = 0
    var deliveryRetries = 0
    var tokenRefreshes = 0

    mutating func count(endpoint: String, mailboxID: String) {
        self.requests[endpoint, default: [:]][mailboxID, default: 0] += 1
        self.requestsTotal += 1
    }

    mutating func record(_ delivery: Delivery) {
        switch delivery {
        case .sent: self.notificationsSent += 1
        case .dropped: self.notificationsDropped += 1
        case .duplicated: self.notificationsDuplicated += 1
        case .failed: self.notificationsFailed += 1
        case .retried: self.deliveryRetries += 1
        }
    }

    /// The counters; per endpoint and mailbox only when `detailed` (they grow with the mailboxes).
    func json(detailed: Bool) -> JSONValue {
        .object([
            (
                "requests",
                .object(
                    detailed
                        ? self.requests.keys.sorted().map { endpoint in
                            (endpoint, .object(self.requests[endpoint]!.keys.sorted().map { ($0, .number(Double(self.requests[endpoint]![$0]!))) }))
                        } : []
                )
            ),
            ("requestsTotal", .number(Double(self.requestsTotal))),
            ("throttled", .number(Double(self.throttled))),
            ("requestsDuringRetryAfter", .number(Double(self.requestsDuringRetryAfter))),
            ("notificationsSent", .number(Double(self.notificationsSent))),
            ("notificationsDropped", .number(Double(self.notificationsDropped))),
            ("notificationsDuplicated", .number(Double(self.notificationsDuplicated))),
            ("notificationsFailed", .number(Double(self.notificationsFailed))),
            ("deliveryRetries", .number(Double(self.deliveryRetries))),
            ("tokenRefreshes", .number(Double(self.tokenRefreshes))),
        ])
    }
}
