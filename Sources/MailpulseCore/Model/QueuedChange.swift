/// A ``ChangeHint`` read from the ``ChangeQueue``, with the queue's id for acknowledging it.
public struct QueuedChange: Sendable, Equatable {
    /// The queue's id of this entry.
    public var entryID: String
    /// The hint.
    public var hint: ChangeHint

    /// Creates a queued change.
    public init(entryID: String, hint: ChangeHint) {
        self.entryID = entryID
        self.hint = hint
    }
}
