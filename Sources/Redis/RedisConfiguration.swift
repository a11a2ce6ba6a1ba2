/// How a ``RedisClient`` connects and how many connections it keeps.
public struct RedisConfiguration: Sendable {
    /// The server.
    public var url: RedisURL
    /// The most connections open at once; callers beyond it wait for a free one.
    public var maximumConnections: Int
    /// The connect timeout, and the reply timeout of non-blocking commands.
    public var timeout: Duration
    /// How long a caller waits for a connection when all are busy before the command fails: a flood of work
    /// fails fast instead of queueing without end.
    public var checkoutTimeout: Duration

    /// Creates a configuration.
    public init(url: RedisURL, maximumConnections: Int = 16, timeout: Duration = .seconds(5), checkoutTimeout: Duration = .seconds(10)) {
        precondition(maximumConnections > 0, "a Redis pool needs at least one connection")
        self.url = url
        self.maximumConnections = maximumConnections
        self.timeout = timeout
        self.checkoutTimeout = checkoutTimeout
    }
}
