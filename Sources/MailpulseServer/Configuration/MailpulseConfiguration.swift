public import Logging
public import Redis

/// Everything the service reads from its environment, with the defaults a local run needs.
public struct MailpulseConfiguration: Sendable {
    /// The address the HTTP server binds (`HTTP_HOST`).
    public var host = "127.0.0.1"
    /// The HTTP port; 0 picks a free one (`HTTP_PORT`).
    public var port = 8080
    /// The largest request body accepted, in bytes (`HTTP_MAX_BODY_BYTES`).
    public var maximumBodyBytes = 1 << 20
    /// The Redis server (`REDIS_URL`).
    public var redisURL: RedisURL
    /// The namespace of every Redis key (`REDIS_PREFIX`).
    public var redisPrefix = "mailpulse:"
    /// The store kind (`STORE`).
    public var store = StoreKind.sqlite
    /// The SQLite file (`SQLITE_PATH`).
    public var sqlitePath = "data/mailpulse.sqlite"
    /// The token key in base64 (`TOKEN_KEY`); when unset, the key in ``tokenKeyFile`` is used, created on first start.
    public var tokenKey: String?
    /// Where the generated token key is kept when `TOKEN_KEY` is unset (`TOKEN_KEY_FILE`).
    public var tokenKeyFile = "data/token.key"
    /// The log level (`LOG_LEVEL`).
    public var logLevel = Logger.Level.info

    /// The defaults.
    public init() {
        self.redisURL = try! RedisURL("redis://127.0.0.1:6379")
    }
}
