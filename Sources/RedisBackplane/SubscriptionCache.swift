internal import Foundation
internal import MailpulseCore
internal import Synchronization

/// What a node learnt of subscriptions it checked: the account and the secret's digest, for a minute. A webhook
/// burst for one subscription then costs one Redis lookup, not one per delivery. A subscription forgotten on
/// another node is still accepted here for at most ``lifetime``: its notices name an account the worker checks.
/// Ids found missing are remembered for ``missingLifetime``, apart, so made-up ids cannot push out real ones; a
/// subscription registered on another node within that time loses its first notifications, which the next delta
/// round repairs.
final class SubscriptionCache: Sendable {
    struct Entry: Sendable {
        var account: AccountID
        var secret: Data
        var until: ContinuousClock.Instant
    }

    static let lifetime = Duration.seconds(60)
    static let missingLifetime = Duration.seconds(5)
    /// Past this many entries the cache starts over, so it stays small whatever Graph sends.
    static let capacity = 100_000

    private let entries = Mutex<[String: Entry]>([:])
    private let missing = Mutex<[String: ContinuousClock.Instant]>([:])

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

    @discardableResult
    func remember(_ subscriptionID: String, account: AccountID, secret: Data) -> Entry {
        let entry = Entry(account: account, secret: secret, until: .now + Self.lifetime)
        self.entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[subscriptionID] = entry
        }
        _ = self.missing.withLock { $0.removeValue(forKey: subscriptionID) }
        return entry
    }

    func forget(_ subscriptionID: String) {
        _ = self.entries.withLock { $0.removeValue(forKey: subscriptionID) }
    }

    /// Whether the id was found missing within ``missingLifetime``.
    func isKnownMissing(_ subscriptionID: String) -> Bool {
        self.missing.withLock { missing in
            guard let until = missing[subscriptionID] else { return false }
            guard until > .now else {
                missing[subscriptionID] = nil
                return false
            }
            return true
        }
    }

    func rememberMissing(_ subscriptionID: String) {
        self.missing.withLock { missing in
            if missing.count >= Self.capacity { missing.removeAll(keepingCapacity: true) }
            missing[subscriptionID] = .now + Self.missingLifetime
        }
    }
}
