import Foundation
import MailpulseCore
import MailpulseServer
import RedisBackplane
import TestSupport

/// Webhook intake under load (wrk on loopback), beside the same server's `/health` as the ceiling. No workers run,
/// so what is measured is the intake alone: parse, check the subscription and its secret, queue.
enum IntakeBench {
    static let subscription = "bench-intake"
    static let clientState = "bench-intake-secret"

    /// Each request carries `batch` notifications (wrk's first argument), every one for a message no other names (the
    /// second argument keeps runs apart), so none coalesces and every one is queued.
    static let script = """
        local batch = 1
        local tag = ""
        local counter = 0
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/json"
        function init(args)
            batch = tonumber(args[1]) or 1
            tag = args[2] or ""
        end
        function request()
            local items = {}
            for i = 1, batch do
                counter = counter + 1
                local id = "AAMkBench" .. tag .. counter
                items[i] = '{"subscriptionId":"\(subscription)","clientState":"\(clientState)","changeType":"updated",'
                    .. '"resource":"Users/bench/Messages/' .. id .. '","resourceData":{"@odata.type":"#Microsoft.Graph.Message",'
                    .. '"id":"' .. id .. '","@odata.etag":"W/\\\\"CQAAABYAAAB' .. counter .. '\\\\""},"tenantId":"bench"}'
            end
            return wrk.format(nil, nil, nil, '{"value":[' .. table.concat(items, ",") .. ']}')
        end
        """

    /// No workers: the queue only grows.
    static func configure(_ configuration: inout MailpulseConfiguration) {
        configuration.workers = 0
    }

    static func run(_ settings: BenchSettings, run: Int) async throws -> [BenchFigure] {
        try await BenchRun.with(configure: Self.configure) { bench in
            try await bench.registerSubscription(Self.subscription, account: AccountID.random(), clientState: Self.clientState)
            let queue = RedisChangeQueue(client: TestEnvironment.redisClient(maximumConnections: 1), prefix: bench.configuration.redisPrefix)
            let load = LoadGenerator(seconds: settings.intakeSeconds)
            let health = try load.run("\(bench.service)/health")
            let single = try load.run("\(bench.service)/webhooks/graph", script: Self.script, arguments: ["1", "single"])
            let batched = try load.run("\(bench.service)/webhooks/graph", script: Self.script, arguments: ["10", "batched"])
            let queued = try await queue.length()
            // wrk counts the answers it read; a request cut off when it stopped may still have been queued.
            guard queued >= single.requests + 10 * batched.requests else {
                throw BenchError("\(single.requests + 10 * batched.requests) notifications were answered 202 but \(queued) are queued")
            }
            return [
                BenchFigure(
                    "Webhook intake, 1 notification per POST",
                    single.requestsPerSecond,
                    unit: "notifications/s",
                    baseline: "GET /health, requests/s",
                    health.requestsPerSecond,
                    target: "≥ 10,000/s and ≥ 0.50 of /health"
                ),
                BenchFigure(
                    "Webhook intake, 10 notifications per POST",
                    10 * batched.requestsPerSecond,
                    unit: "notifications/s",
                    baseline: "GET /health, requests/s",
                    health.requestsPerSecond,
                    target: "≥ 10,000/s"
                ),
                BenchFigure(
                    "Webhook intake latency p50, 1 per POST, \(load.connections) connections",
                    single.p50,
                    unit: "ms",
                    baseline: "GET /health p50",
                    health.p50,
                    target: "—"
                ),
                BenchFigure(
                    "Webhook intake latency p99",
                    single.p99,
                    unit: "ms",
                    baseline: "GET /health p99",
                    health.p99,
                    target: "< 3,000 ms (Graph's budget)"
                ),
            ]
        }
    }
}
