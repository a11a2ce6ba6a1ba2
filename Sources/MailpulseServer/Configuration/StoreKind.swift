/// Which ``MailStore`` implementation holds the mail data.
public enum StoreKind: String, Sendable, CaseIterable {
    /// One SQLite file: the embedded default.
    case sqlite
    /// An Elasticsearch 8 cluster (`ELASTICSEARCH_URL`): for many accounts and several nodes.
    case elasticsearch
}
