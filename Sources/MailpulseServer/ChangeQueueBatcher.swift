internal import MailpulseCore

/// Queues the hints of concurrent webhook deliveries together (group commit): while one call to the queue runs,
/// the deliveries arriving meanwhile wait and go in the next call, so the queue sees one script per batch instead of
/// one per POST. Each delivery is answered only once its hints are queued, so a 202 still means nothing is lost.
actor ChangeQueueBatcher {
    private let queue: any ChangeQueue
    /// The most hints one call carries (a delivery larger than this goes alone).
    private let maximumNotices: Int
    private var waiting: [(hints: [ChangeHint], continuation: CheckedContinuation<Int, any Error>)] = []
    private var flushing = false

    init(queue: any ChangeQueue, maximumNotices: Int = 1_000) {
        self.queue = queue
        self.maximumNotices = maximumNotices
    }

    /// Queues one delivery's hints with whatever else is waiting; answers how many entries were added for it.
    func enqueue(_ hints: [ChangeHint]) async throws -> Int {
        guard !hints.isEmpty else { return 0 }
        return try await withCheckedThrowingContinuation { continuation in
            self.waiting.append((hints, continuation))
            if !self.flushing {
                self.flushing = true
                Task { await self.flush() }
            }
        }
    }

    private func flush() async {
        while !self.waiting.isEmpty {
            var taken = 0
            var count = 0
            while taken < self.waiting.count, taken == 0 || count + self.waiting[taken].hints.count <= self.maximumNotices {
                count += self.waiting[taken].hints.count
                taken += 1
            }
            let batch = self.waiting.prefix(taken)
            self.waiting.removeFirst(taken)
            do {
                let queued = try await self.queue.enqueue(groups: batch.map(\.hints))
                for (delivery, added) in zip(batch, queued) { delivery.continuation.resume(returning: added) }
            } catch {
                for delivery in batch { delivery.continuation.resume(throwing: error) }
            }
        }
        self.flushing = false
    }
}
