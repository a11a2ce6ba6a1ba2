import Synchronization

/// A value that test closures running on other tasks can set and the test can read afterwards.
public final class SharedValue<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    /// Creates the box with a first value.
    public init(_ value: Value) {
        self.storage = Mutex(value)
    }

    /// The current value.
    public var value: Value {
        get { self.storage.withLock { $0 } }
        set { self.storage.withLock { $0 = newValue } }
    }

    /// Changes the value in place, in one step no other task can come between; answers what `body` answers.
    public func update<Result>(_ body: (inout Value) -> Result) -> Result {
        self.storage.withLock { body(&$0) }
    }
}
