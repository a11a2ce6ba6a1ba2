public import Foundation
public import MailpulseCore
public import Redis
internal import Secrets

/// ``SubscriptionDirectory`` in Redis: one hash per subscription with its account and the SHA-256 of its secret,
/// expiring a day after the subscription, so a forgotten one cleans itself up. Subscriptions found are remembered
/// for a minute, and ids found missing for a few seconds (``SubscriptionCache``): a flood of notifications naming
/// made-up subscriptions costs one Redis round trip per delivery, then none.
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

    public func check(_ claims: [SubscriptionClaim]) async throws -> [SubscriptionCheck] {
        var known: [String: SubscriptionCache.Entry] = [:]
        var unseen: [String] = []
        var seen = Set<String>()
        for id in claims.map(\.subscriptionID) where seen.insert(id).inserted {
            if let cached = self.cache.entry(id) {
                known[id] = cached
            } else if !self.cache.isKnownMissing(id) {
                unseen.append(id)
            }
        }
        if !unseen.isEmpty {
            let reply = try await self.client.evaluate(SubscriptionScripts.lookup, keys: unseen.map(self.key), arguments: [])
            guard let rows = reply.array, rows.count == unseen.count else {
                throw RedisError.unexpectedReply("the subscription lookup answered \(reply.array?.count ?? 0) rows for \(unseen.count) ids")
            }
            for (id, row) in zip(unseen, rows) {
                let fields = row.array ?? []
                guard fields.count == 2, let account = fields[0].string.flatMap(AccountID.init),
                    let secret = fields[1].string.flatMap({ Data(base64Encoded: $0) })
                else {
                    self.cache.rememberMissing(id)
                    continue
                }
                known[id] = self.cache.remember(id, account: account, secret: secret)
            }
        }
        return claims.map { claim in
            guard let entry = known[claim.subscriptionID] else { return .unknown }
            return SecretDigest.constantTimeEqual(entry.secret, SecretDigest.sha256(claim.clientState)) ? .valid(entry.account) : .clientStateMismatch
        }
    }

    public func remove(_ subscriptionID: String) async throws {
        self.cache.forget(subscriptionID)
        _ = try await self.client.del(self.key(subscriptionID))
    }

    private func key(_ subscriptionID: String) -> String {
        "\(self.prefix)subscription:\(subscriptionID)"
    }
}
