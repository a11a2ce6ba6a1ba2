internal import Foundation
internal import HTTPTransport
public import ServiceLifecycle

/// Delivers change and lifecycle notifications as Graph does: POSTs with a 3-second limit, retried with backoff
/// when not answered 2xx in time, under the faults set for the simulator (drop, duplicate, delay, reorder).
public final class NotificationDispatcher: Service, Sendable {
    private let transport: any HTTPTransport
    private let state: SimulatorState
    private let stream: AsyncStream<([PendingNotification], SimulatorFaults)>
    private let continuation: AsyncStream<([PendingNotification], SimulatorFaults)>.Continuation

    init(transport: any HTTPTransport, state: SimulatorState) {
        self.transport = transport
        self.state = state
        (self.stream, self.continuation) = AsyncStream.makeStream(of: ([PendingNotification], SimulatorFaults).self)
    }

    /// Queues the notifications of one change for delivery under the faults in force now, when it happened; call it
    /// before the change is answered.
    func enqueue(_ notifications: [PendingNotification]) async {
        guard !notifications.isEmpty else { return }
        self.continuation.yield((notifications, await self.state.faults))
    }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            for await (batch, faults) in self.stream.cancelOnGracefulShutdown() {
                group.addTask { await self.deliver(batch, faults: faults) }
            }
        }
    }

    private func deliver(_ batch: [PendingNotification], faults: SimulatorFaults) async {
        let ordered = faults.reorderNotifications ? batch.shuffled() : batch
        await withDiscardingTaskGroup { group in
            for notification in ordered {
                if !notification.isLifecycle, faults.dropNotifications > 0, Double.random(in: 0..<1) < faults.dropNotifications {
                    await self.state.recordDelivery(.dropped)
                    continue
                }
                let copies = !notification.isLifecycle && Double.random(in: 0..<1) < faults.duplicateNotifications ? 2 : 1
                if copies == 2 { await self.state.recordDelivery(.duplicated) }
                for _ in 0..<copies {
                    let delay = Int.random(in: faults.notificationDelayMs)
                    group.addTask {
                        if delay > 0 { try? await Task.sleep(for: .milliseconds(delay)) }
                        await self.post(notification)
                    }
                }
            }
        }
    }

    private func post(_ notification: PendingNotification) async {
        guard let url = URL(string: notification.url) else {
            await self.state.recordDelivery(.failed)
            return
        }
        let configuration = self.state.configuration
        var delay = configuration.deliveryRetryDelay
        for attempt in 0...configuration.deliveryRetries {
            if attempt > 0 {
                await self.state.recordDelivery(.retried)
                try? await Task.sleep(for: delay)
                delay *= 2
            }
            let request = HTTPRequestData(
                method: "POST",
                url: url,
                headers: [("Content-Type", "application/json; charset=utf-8")],
                body: notification.body.data,
                timeout: .seconds(3)
            )
            if let response = try? await self.transport.send(request), (200..<300).contains(response.status) {
                await self.state.recordDelivery(.sent)
                return
            }
        }
        await self.state.recordDelivery(.failed)
    }
}
