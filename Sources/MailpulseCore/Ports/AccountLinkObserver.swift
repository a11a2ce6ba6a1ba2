/// Told when an account finishes linking: the sync engine starts the initial sync here.
public protocol AccountLinkObserver: Sendable {
    /// The account is linked and its tokens are stored.
    func accountLinked(_ account: AccountID) async
}
