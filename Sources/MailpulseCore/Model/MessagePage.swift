/// One page of messages and the cursor of the next one.
public struct MessagePage: Sendable, Equatable {
    /// The messages, newest first.
    public var messages: [Message]
    /// The cursor of the next page; `nil` when this page is the last.
    public var next: PageCursor?

    /// Creates a page.
    public init(messages: [Message], next: PageCursor?) {
        self.messages = messages
        self.next = next
    }
}
