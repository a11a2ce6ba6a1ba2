/// The account events every node publishes and reads back: a bounded log per account for pages that reconnect or fell
/// behind, and each account's sequence counter.
public protocol AccountEventLog: AccountEventPublisher {
    /// The account's recent events, oldest first, as published (JSON text starting with `{"seq":n,`).
    func recentEvents(of account: AccountID) async throws -> [String]
    /// The sequence number of the account's latest event; 0 before its first.
    func lastSequence(of account: AccountID) async throws -> Int
    /// Deletes the account's log and counter, and tells every node's feed that the account is gone.
    func forget(_ account: AccountID) async throws
}
