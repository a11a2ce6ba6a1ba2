/// An error answer of Graph (`{"error":{"code","message"}}`), or a transport failure (status 0).
public struct GraphError: Error, CustomStringConvertible, Sendable {
    /// The HTTP status; 0 when no response arrived.
    public let status: Int
    /// Graph's error code, such as `ErrorItemNotFound`.
    public let code: String
    /// Graph's message.
    public let message: String
    /// `Retry-After` in seconds, for 429 and 503.
    public let retryAfter: Double?

    /// Creates an error.
    public init(status: Int, code: String, message: String, retryAfter: Double? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    /// The access token was refused: refresh once and retry.
    public var isUnauthorized: Bool { self.status == 401 }
    /// The item does not exist (deleted, or a stale id).
    public var isNotFound: Bool { self.status == 404 }

    public var description: String {
        "GraphError(\(self.status) \(self.code)): \(self.message)"
    }
}
