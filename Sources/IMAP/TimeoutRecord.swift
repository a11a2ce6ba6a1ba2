internal import Synchronization

/// Whether a connection was closed because the server did not answer in time (as opposed to the server closing it):
/// set from the event loop, read by the reading task.
final class TimeoutRecord: Sendable {
    private let expired = Mutex(false)

    /// Notes that the deadline passed.
    func expire() {
        self.expired.withLock { $0 = true }
    }

    /// Whether the deadline passed.
    var hasExpired: Bool {
        self.expired.withLock { $0 }
    }
}
