/// The kind of mail provider an account is linked to: it picks the adapter that serves the account.
public enum MailProviderKind: String, Sendable, Codable, CaseIterable {
    /// Outlook and Microsoft 365 through Microsoft Graph.
    case outlook
    /// Any IMAP server, Gmail included.
    case imap
}
