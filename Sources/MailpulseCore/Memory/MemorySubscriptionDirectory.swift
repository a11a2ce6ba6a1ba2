public import Foundation
internal import Synchronization

/// ``SubscriptionDirectory`` in one process's memory: each subscription's account and secret, checked as the
/// Redis directory checks them (the secret compared whole; here in memory, where timing reveals nothing to a caller
/// across the network).
public final class MemorySubscriptionDirectory: SubscriptionDirectory {
    private let entries = Mutex<[String: (account: AccountID, clientState: String)]>([:])

    /// An empty directory.
    public init() {}

    /// The subscriptions recorded, by id.
    public var subscriptions: [String: AccountID] {
        self.entries.withLock { $0.mapValues(\.account) }
    }

    public func register(_ subscriptionID: String, account: AccountID, clientState: String, expiresAt: Date) async throws {
        self.entries.withLock { $0[subscriptionID] = (account, clientState) }
    }

    public func extend(_ subscriptionID: String, expiresAt: Date) async throws -> Bool {
        self.entries.withLock { $0[subscriptionID] != nil }
    }

    public func check(_ claims: [SubscriptionClaim]) async throws -> [SubscriptionCheck] {
        self.entries.withLock { entries in
            claims.map { claim in
                guard let entry = entries[claim.subscriptionID] else { return .unknown }
                return entry.clientState == claim.clientState ? .valid(entry.account) : .clientStateMismatch
            }
        }
    }

    public func remove(_ subscriptionID: String) async throws {
        _ = self.entries.withLock { $0.removeValue(forKey: subscriptionID) }
    }
}
