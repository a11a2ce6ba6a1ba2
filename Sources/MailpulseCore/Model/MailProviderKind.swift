/// The kind of mail provider an account is linked to: it picks the adapter that serves the account.
public enum MailProviderKind: String, Sendable, Codable, CaseIterable {
    /// Outlook and Microsoft 365 through Microsoft Graph.
    case outlook
    /// Any IMAP server.
    case imap
    /// Gmail over IMAP (imap.gmail.com, an app password).
    case gmail

    /// Whether the provider pushes changes over connections Mailpulse keeps open to it (IMAP's NOTIFY and IDLE,
    /// through ``ConnectionPush``) rather than through webhook subscriptions (``WebhookPush``).
    public var pushesOverConnections: Bool {
        switch self {
        case .outlook: false
        case .imap, .gmail: true
        }
    }

    /// Whether people sign in by giving a password to Mailpulse (``CredentialSignIn``) rather than at the provider's
    /// page (``RedirectSignIn``).
    public var signsInWithPassword: Bool { self.pushesOverConnections }
}
