/// A ``ChangeNotice`` read from the ``ChangeQueue``, with the queue's id for acknowledging it.
public struct QueuedChange: Sendable, Equatable {
    /// The queue's id of this entry.
    public var entryID: String
    /// The notice.
    public var notice: ChangeNotice

    /// Creates a queued change.
    public init(entryID: String, notice: ChangeNotice) {
        self.entryID = entryID
        self.notice = notice
    }
}
