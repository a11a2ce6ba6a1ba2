/// Which ``MailStore`` implementation holds the mail data.
public enum StoreKind: String, Sendable, CaseIterable {
    /// One SQLite file: the embedded default.
    case sqlite
}
