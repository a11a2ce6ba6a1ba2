internal import Foundation
internal import MailpulseCore

/// An account as a document of the accounts index. Encoded with every field present (`null` when empty), so a
/// partial update (`_update` with `doc`) clears what the account no longer has; the secrets are written apart.
struct AccountDocument: Codable {
    var id: String
    var provider: String
    var status: String
    var identity: AccountIdentity?
    var createdAt: Int64
    var updatedAt: Int64
    var lastSyncedAt: Int64?
    var subscriptionId: String?
    var subscriptionExpiresAt: Int64?
    var subscriptionNotificationUrl: String?

    private enum CodingKeys: String, CodingKey {
        case id, provider, status, identity, createdAt, updatedAt, lastSyncedAt, subscriptionId, subscriptionExpiresAt,
            subscriptionNotificationUrl
    }

    init(_ account: Account) {
        self.id = account.id.description
        self.provider = account.provider.rawValue
        self.status = account.status.rawValue
        self.identity = account.identity
        self.createdAt = account.createdAt.millisecondsSince1970
        self.updatedAt = account.updatedAt.millisecondsSince1970
        self.lastSyncedAt = account.lastSyncedAt.map(\.millisecondsSince1970)
        self.subscriptionId = account.subscription?.id
        self.subscriptionExpiresAt = account.subscription.map(\.expiresAt.millisecondsSince1970)
        self.subscriptionNotificationUrl = account.subscription?.notificationURL
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.id, forKey: .id)
        try container.encode(self.provider, forKey: .provider)
        try container.encode(self.status, forKey: .status)
        try container.encode(self.identity, forKey: .identity)
        try container.encode(self.createdAt, forKey: .createdAt)
        try container.encode(self.updatedAt, forKey: .updatedAt)
        try container.encode(self.lastSyncedAt, forKey: .lastSyncedAt)
        try container.encode(self.subscriptionId, forKey: .subscriptionId)
        try container.encode(self.subscriptionExpiresAt, forKey: .subscriptionExpiresAt)
        try container.encode(self.subscriptionNotificationUrl, forKey: .subscriptionNotificationUrl)
    }

    /// The account, or `nil` when the document is not one Mailpulse wrote.
    func account() -> Account? {
        guard let id = AccountID(self.id), let provider = MailProviderKind(rawValue: self.provider),
            let status = AccountStatus(rawValue: self.status)
        else { return nil }
        return Account(
            id: id,
            provider: provider,
            status: status,
            identity: self.identity,
            createdAt: Date(millisecondsSince1970: self.createdAt),
            updatedAt: Date(millisecondsSince1970: self.updatedAt),
            lastSyncedAt: self.lastSyncedAt.map(Date.init(millisecondsSince1970:)),
            subscription: zip(self.subscriptionId, self.subscriptionExpiresAt).map {
                AccountSubscription(id: $0, expiresAt: Date(millisecondsSince1970: $1), notificationURL: self.subscriptionNotificationUrl)
            }
        )
    }
}

private func zip<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
