/// How many live (not deleted) messages a scope holds, and how many of them are unread.
public struct MessageCounts: Sendable, Equatable, Codable {
    /// Live messages.
    public var total: Int
    /// Live unread messages.
    public var unread: Int

    /// Creates counts.
    public init(total: Int, unread: Int) {
        self.total = total
        self.unread = unread
    }
}
