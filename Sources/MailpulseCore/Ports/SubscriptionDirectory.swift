public import Foundation

/// Where every node looks up which account a notification's subscription belongs to, and checks its secret.
public protocol SubscriptionDirectory: Sendable {
    /// Records a subscription and its secret (kept only as a hash) until a little after `expiresAt`.
    func register(_ subscriptionID: String, account: AccountID, clientState: String, expiresAt: Date) async throws
    /// Extends a recorded subscription's life; answers `false` when it is not recorded (then register it again).
    func extend(_ subscriptionID: String, expiresAt: Date) async throws -> Bool
    /// Checks the claims of a delivery's notifications at once (one round trip to the directory, however many there
    /// are), comparing each secret in constant time; answers one check per claim, in order.
    func check(_ claims: [SubscriptionClaim]) async throws -> [SubscriptionCheck]
    /// Forgets a subscription.
    func remove(_ subscriptionID: String) async throws
}

extension SubscriptionDirectory {
    /// Checks one notification's subscription id and secret.
    public func check(_ subscriptionID: String, clientState: String) async throws -> SubscriptionCheck {
        try await self.check([SubscriptionClaim(subscriptionID: subscriptionID, clientState: clientState)])[0]
    }
}
