/// The kind of mail provider an account is linked to.
public enum MailProviderKind: String, Sendable, Codable, CaseIterable {
    /// Outlook and Microsoft 365 through Microsoft Graph.
    case outlook
}
