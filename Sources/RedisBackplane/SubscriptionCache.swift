internal import Foundation
internal import MailpulseCore
internal import Synchronization

/// What a node learnt of subscriptions it checked: the account and the secret's digest, for a minute. A webhook
/// burst for one subscription then costs one Redis lookup, not one per delivery. A subscription forgotten on
/// another node is still accepted here for at most ``lifetime``: its notices name an account the worker checks.
final class SubscriptionCache: Sendable {
    struct Entry: Sendable {
        var account: AccountID
        var secret: Data
        var until: ContinuousClock.Instant
    }

    static let lifetime = Duration.seconds(60)
    /// Past this many entries the cache starts over, so it stays small whatever Graph sends.
    static let capacity = 100_000

    private let entries = Mutex<[String: Entry]>([:])

    func entry(_ subscriptionID: String) -> Entry? {
        self.entries.withLock { entries in
            guard let entry = entries[subscriptionID] else { return nil }
            guard entry.until > .now else {
                entries[subscriptionID] = nil
                return nil
            }
            return entry
        }
    }

    func remember(_ subscriptionID: String, account: AccountID, secret: Data) {
        self.entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[subscriptionID] = Entry(account: account, secret: secret, until: .now + Self.lifetime)
        }
    }

    func forget(_ subscriptionID: String) {
        _ = self.entries.withLock { $0.removeValue(forKey: subscriptionID) }
    }
}
