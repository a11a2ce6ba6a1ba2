/// Sending mail from a linked account: the provider submits it and keeps a copy in the account's sent folder, which
/// then reaches the mirror through the usual change flow.
public protocol MailSender: Sendable {
    /// Submits a message. Throws ``MailProviderError/refused(_:)`` with the provider's reason when it refuses the
    /// message (a recipient, the size), ``MailProviderError/notFound`` when the message it replies to or forwards is gone,
    /// and ``MailProviderError/permissionMissing(_:)`` when the account's grant does not allow sending.
    func send(_ message: OutgoingMessage, from account: AccountID, accessToken: String) async throws
}
