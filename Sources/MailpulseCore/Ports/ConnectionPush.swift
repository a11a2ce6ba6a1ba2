/// Changes pushed over connections Mailpulse keeps open to the provider (IMAP's NOTIFY and IDLE), where
/// ``WebhookPush`` has the provider call Mailpulse.
public protocol ConnectionPush: Sendable {
    /// Watches the account's mailbox until cancelled, handing `hints` what changed (a folder's changes, or
    /// ``ChangeHint/Kind/missed`` when the folder list changed or the watch restarted and may have missed some).
    /// Returns or throws when the connection ends; the caller reconnects with backoff.
    func watch(_ account: AccountID, accessToken: String, hints: @escaping @Sendable ([ChangeHint]) async -> Void) async throws
}
