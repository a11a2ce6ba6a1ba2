internal import Synchronization

/// A flag raised once, from any thread: the first to raise it learns it did (a deadline that passed, the one `DONE`
/// that ends an IMAP IDLE).
package final class OnceFlag: Sendable {
    private let raised = Mutex(false)

    /// A flag not raised yet.
    package init() {}

    /// Raises the flag; answers whether this call did (`false`: it was raised already).
    @discardableResult
    package func raise() -> Bool {
        self.raised.withLock { raised in
            defer { raised = true }
            return !raised
        }
    }

    /// Whether the flag was raised.
    package var isRaised: Bool {
        self.raised.withLock { $0 }
    }
}
