internal import Foundation

/// A deletion to apply: the message becomes a tombstone that older writes cannot bring back.
public struct MessageDeletion: Sendable, Equatable, Codable {
    /// The owning local account.
    public var accountID: AccountID
    /// The provider's message id.
    public var messageID: String
    /// Milliseconds since 1970 when the deletion was observed; upserts not newer than it are refused.
    public var deletedAt: Int64

    /// Creates a deletion.
    public init(accountID: AccountID, messageID: String, deletedAt: Int64) {
        self.accountID = accountID
        self.messageID = messageID
        self.deletedAt = deletedAt
    }

    /// A deletion observed now, never older than the stored version it deletes whatever the clocks (versions are
    /// the provider's clock, deletions ours).
    public static func observedNow(of messageID: String, in account: AccountID, stored: Message?) -> MessageDeletion {
        let now = Date().millisecondsSince1970
        return MessageDeletion(accountID: account, messageID: messageID, deletedAt: max(now, stored?.version.modifiedAt ?? 0))
    }
}
