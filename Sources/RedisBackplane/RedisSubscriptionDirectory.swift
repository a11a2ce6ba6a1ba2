public import Foundation
public import MailpulseCore
public import Redis
internal import Secrets

/// ``SubscriptionDirectory`` in Redis: one hash per subscription with its account and the SHA-256 of its secret,
/// expiring a day after the subscription, so a forgotten one cleans itself up. Subscriptions found are remembered
/// for a minute (``SubscriptionCache``).
public struct RedisSubscriptionDirectory: SubscriptionDirectory {
    private let client: any RedisClientProtocol
    private let prefix: String
    private let cache = SubscriptionCache()
    private static let grace: TimeInterval = 24 * 3600

    /// Creates a directory; `prefix` namespaces its keys.
    public init(client: any RedisClientProtocol, prefix: String) {
        self.client = client
        self.prefix = prefix
    }

    public func register(_ subscriptionID: String, account: AccountID, clientState: String, expiresAt: Date) async throws {
        let key = self.key(subscriptionID)
        let secret = SecretDigest.sha256(clientState)
        _ = try await self.client.hset(key, [("account", account.description), ("secret", secret.base64EncodedString())])
        self.cache.remember(subscriptionID, account: account, secret: secret)
        _ = try await self.extend(subscriptionID, expiresAt: expiresAt)
    }

    public func extend(_ subscriptionID: String, expiresAt: Date) async throws -> Bool {
        let until = Int64((expiresAt.timeIntervalSince1970 + Self.grace) * 1000)
        let reply = try await self.client.send(["PEXPIREAT", RedisArgument(self.key(subscriptionID)), RedisArgument(until)])
        return reply.integer == 1
    }

    public func check(_ subscriptionID: String, clientState: String) async throws -> SubscriptionCheck {
        let account: AccountID
        let secret: Data
        if let cached = self.cache.entry(subscriptionID) {
            (account, secret) = (cached.account, cached.secret)
        } else {
            let fields = try await self.client.hgetall(self.key(subscriptionID))
            guard let accountText = fields["account"], let found = AccountID(accountText), let secretText = fields["secret"],
                let digest = Data(base64Encoded: secretText)
            else { return .unknown }
            (account, secret) = (found, digest)
            self.cache.remember(subscriptionID, account: account, secret: secret)
        }
        return SecretDigest.constantTimeEqual(secret, SecretDigest.sha256(clientState)) ? .valid(account) : .clientStateMismatch
    }

    public func remove(_ subscriptionID: String) async throws {
        self.cache.forget(subscriptionID)
        _ = try await self.client.del(self.key(subscriptionID))
    }

    private func key(_ subscriptionID: String) -> String {
        "\(self.prefix)subscription:\(subscriptionID)"
    }
}
