internal import Foundation
internal import Hummingbird
internal import Logging
internal import MailpulseCore

/// Graph's webhooks: answers the validation handshake, has the provider's ``NotificationDecoder`` read the delivery,
/// checks every notification's subscription and secret at once, and queues the valid ones for the workers, answering
/// 202 at once. It calls no provider and writes no store, so it stays within Graph's 3-second budget whatever the load.
struct WebhookController: Sendable {
    /// The largest body accepted; Graph's batches are far smaller.
    static let maximumBodyBytes = 1 << 20
    /// The most notifications accepted in one POST.
    static let maximumNotifications = 1_000
    /// The route Graph posts to (its lifecycle notifications to `path/lifecycle`).
    static let path = "webhooks/graph"

    let decoder: any NotificationDecoder
    let directory: any SubscriptionDirectory
    let queue: ChangeQueueBatcher

    init(decoder: any NotificationDecoder, directory: any SubscriptionDirectory, queue: any ChangeQueue) {
        self.decoder = decoder
        self.directory = directory
        self.queue = ChangeQueueBatcher(queue: queue)
    }

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.post(RouterPath(Self.path), use: self.receive)
        routes.post(RouterPath("\(Self.path)/lifecycle"), use: self.receive)
        return routes
    }

    @Sendable func receive(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let token = Self.validationToken(request.uri.query) {
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: token))
            )
        }
        let body = try await request.body.collect(upTo: Self.maximumBodyBytes)
        guard let batch = self.decoder.decode(Data(body.readableBytesView)) else {
            throw HTTPError(.badRequest, message: "the body must be a JSON notification collection: {\"value\":[…]}")
        }
        guard batch.items.count + batch.malformed <= Self.maximumNotifications else {
            throw HTTPError(.contentTooLarge, message: "at most \(Self.maximumNotifications) notifications per request")
        }
        var report = WebhookIntakeReport()
        report.malformed = batch.malformed
        let hints = try await self.checked(batch.items, report: &report)
        do {
            report.queued = try await self.queue.enqueue(hints)
        } catch {
            // Graph redelivers on 5xx: nothing is lost while the queue is down.
            context.logger.error("Notifications not queued", metadata: ["error.type": "\(error)"])
            throw HTTPError(.serviceUnavailable, message: "the notification queue is unavailable; deliver again later")
        }
        report.accepted = hints.count
        report.record()
        if report.unknownSubscription + report.clientStateMismatch + report.malformed > 0 {
            context.logger.warning(
                "Notifications dropped",
                metadata: [
                    "unknown_subscription": "\(report.unknownSubscription)", "client_state_mismatch": "\(report.clientStateMismatch)",
                    "malformed": "\(report.malformed)",
                ]
            )
        }
        var response = try report.response(from: request, context: context)
        response.status = .accepted
        return response
    }

    /// The hints of the items whose subscription is known and whose secret matches; the rest are counted. Every
    /// claim of the delivery is checked in one lookup.
    private func checked(_ items: [NotificationBatch.Item], report: inout WebhookIntakeReport) async throws -> [ChangeHint] {
        guard !items.isEmpty else { return [] }
        let checks: [SubscriptionCheck]
        do {
            checks = try await self.directory.check(items.map(\.claim))
        } catch {
            throw HTTPError(.serviceUnavailable, message: "the subscription directory is unavailable; deliver again later")
        }
        var hints: [ChangeHint] = []
        for (item, check) in zip(items, checks) {
            switch check {
            case .valid(let account): hints.append(NotificationBatch.hint(of: item, for: account))
            case .unknown: report.unknownSubscription += 1
            case .clientStateMismatch: report.clientStateMismatch += 1
            }
        }
        return hints
    }

    /// The decoded `validationToken` of a handshake: form encoding, so `+` is a space before percent-decoding.
    static func validationToken(_ query: String?) -> String? {
        guard let query else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == "validationToken" else { continue }
            return parts[1].replacingOccurrences(of: "+", with: " ").removingPercentEncoding
        }
        return nil
    }
}
