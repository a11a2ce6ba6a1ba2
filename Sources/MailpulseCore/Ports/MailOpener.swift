/// Opening a message: its body, Bcc recipients and attachments, which the mirror does not sync, read when asked for.
public protocol MailOpener: Sendable {
    /// The content of a message, or `nil` when it no longer exists.
    func content(of message: String, of account: AccountID, accessToken: String) async throws -> MessageContent?
    /// The bytes of one attachment, or `nil` when the message or the attachment no longer exists. Throws
    /// ``MailProviderError/tooLarge(_:)`` when it is larger than `limit` bytes, without reading it all.
    func attachment(_ id: String, of message: String, of account: AccountID, limit: Int, accessToken: String) async throws -> AttachmentData?
}
