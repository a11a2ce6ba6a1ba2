/// An error answer of Graph (`{"error":{"code","message"}}`), or a transport failure (status 0).
public struct GraphError: Error, CustomStringConvertible, Sendable {
    /// The HTTP status; 0 when no response arrived.
    public let status: Int
    /// Graph's error code, such as `ErrorItemNotFound`.
    public let code: String
    /// Graph's message.
    public let message: String
    /// `Retry-After` in whole seconds, for 429 and 503: at most ``maximumRetryAfter``; `nil` when absent or not a
    /// number of seconds.
    public let retryAfter: Double?

    /// Creates an error.
    public init(status: Int, code: String, message: String, retryAfter: Double? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    /// The longest `Retry-After` taken from an answer, in seconds: a day.
    public static let maximumRetryAfter = 86_400
    /// The code of a link that leads away from Graph's origin, refused before any request.
    public static let untrustedLinkCode = "UntrustedLink"

    /// A `Retry-After` value as seconds: delay-seconds up to ``maximumRetryAfter``; anything else (`inf`, `nan`, `-1`,
    /// `1e999`, a date) is `nil`, so the caller's default applies.
    public static func retryAfterSeconds(_ text: String?) -> Double? {
        // Int(_:) takes only an optional sign and digits, and answers nil past Int's range rather than trap.
        guard let seconds = text.flatMap({ Int($0) }), seconds >= 0 else { return nil }
        return Double(min(seconds, Self.maximumRetryAfter))
    }

    /// The access token was refused: refresh once and retry.
    public var isUnauthorized: Bool { self.status == 401 }
    /// The item does not exist (deleted, or a stale id).
    public var isNotFound: Bool { self.status == 404 }

    public var description: String {
        "GraphError(\(self.status) \(self.code)): \(self.message)"
    }
}
