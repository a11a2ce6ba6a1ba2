/// A deletion to apply: the message becomes a tombstone that the version it deleted, and any older one, cannot bring
/// back; only a strictly newer version (a message moved back, a provider that reuses the id) revives it.
///
/// The deletion carries the provider's version it deleted, never our clock: comparing our clock with the provider's
/// would refuse a genuinely newer write whenever the two clocks drift.
public struct MessageDeletion: Sendable, Equatable, Codable {
    /// The owning local account.
    public var accountID: AccountID
    /// The provider's message id.
    public var messageID: String
    /// The ``MessageVersion/sequence`` of the newest version known deleted; upserts not newer than it are refused.
    public var version: Int64

    /// Creates a deletion.
    public init(accountID: AccountID, messageID: String, version: Int64) {
        self.accountID = accountID
        self.messageID = messageID
        self.version = version
    }

    /// The deletion of the version the store holds (or of any version, when it holds none).
    public static func of(_ messageID: String, in account: AccountID, stored: Message?) -> MessageDeletion {
        MessageDeletion(accountID: account, messageID: messageID, version: stored?.version.sequence ?? 0)
    }
}
