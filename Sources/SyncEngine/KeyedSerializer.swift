internal import Synchronization

/// Runs work for one key at a time, in arrival order, on this node: a change for a message waits while another
/// change for the same message is applied, so it then finds the stored version and often needs no fetch.
final class KeyedSerializer: Sendable {
    private let waiting = Mutex<[String: [CheckedContinuation<Void, Never>]]>([:])

    /// Runs `body` once no earlier call for `key` is running.
    func run<T: Sendable>(_ key: String, _ body: () async throws -> T) async throws -> T {
        await self.acquire(key)
        defer { self.release(key) }
        return try await body()
    }

    private func acquire(_ key: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let runsNow = self.waiting.withLock { waiting -> Bool in
                guard waiting[key] != nil else {
                    waiting[key] = []
                    return true
                }
                waiting[key]!.append(continuation)
                return false
            }
            if runsNow { continuation.resume() }
        }
    }

    private func release(_ key: String) {
        let next = self.waiting.withLock { waiting -> CheckedContinuation<Void, Never>? in
            guard var queue = waiting[key], !queue.isEmpty else {
                waiting[key] = nil
                return nil
            }
            let first = queue.removeFirst()
            waiting[key] = queue
            return first
        }
        next?.resume()
    }
}
