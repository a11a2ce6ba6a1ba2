public import Foundation

/// Where the Elasticsearch cluster is and how Mailpulse lays out its indices there.
public struct ElasticsearchConfiguration: Sendable {
    /// How a cluster authenticates requests.
    public enum Credentials: Sendable, Equatable {
        /// No authentication (a local development cluster).
        case none
        /// HTTP Basic with a user and password.
        case basic(user: String, password: String)
        /// An API key, as `Authorization: ApiKey <encoded>` (the `encoded` value Elasticsearch hands out).
        case apiKey(String)
    }

    /// When writes become visible to searches.
    public enum Refresh: String, Sendable, CaseIterable {
        /// Each write waits for the next refresh (`refresh=wait_for`): a listing right after a write sees it.
        case waitFor = "wait_for"
        /// Writes return at once and are searchable after the index's refresh interval (1 s by default).
        case eventual = "false"
    }

    /// The cluster's base URL, e.g. `http://127.0.0.1:9200`.
    public var url: URL
    /// How requests authenticate.
    public var credentials: Credentials
    /// Prepended to every index and template name, so deployments can share a cluster.
    public var indexPrefix: String
    /// When message, folder and sync-state writes become searchable; account writes always wait.
    public var refresh: Refresh
    /// Primary shards of each index (set when the index is created).
    public var shards: Int
    /// Replicas of each shard.
    public var replicas: Int

    /// Creates a configuration.
    public init(
        url: URL,
        credentials: Credentials = .none,
        indexPrefix: String = "mailpulse-",
        refresh: Refresh = .eventual,
        shards: Int = 1,
        replicas: Int = 1
    ) {
        self.url = url
        self.credentials = credentials
        self.indexPrefix = indexPrefix
        self.refresh = refresh
        self.shards = shards
        self.replicas = replicas
    }
}
