/// Several observers told of each link, in order.
public struct AccountLinkObservers: AccountLinkObserver {
    private let observers: [any AccountLinkObserver]

    /// Observers told in the order given.
    public init(_ observers: [any AccountLinkObserver]) {
        self.observers = observers
    }

    public func accountLinked(_ account: AccountID) async {
        for observer in self.observers { await observer.accountLinked(account) }
    }
}
