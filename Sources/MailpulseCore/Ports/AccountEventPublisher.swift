/// Publishes account events to every node, which forward them to the pages watching the account.
public protocol AccountEventPublisher: Sendable {
    /// Publishes events in order, each with the account's next sequence number. A failure to publish never fails
    /// the write that caused it, so this does not throw.
    func publish(_ events: [AccountEvent], for account: AccountID) async
}

extension AccountEventPublisher {
    /// Publishes one event.
    public func publish(_ event: AccountEvent, for account: AccountID) async {
        await self.publish([event], for: account)
    }
}
