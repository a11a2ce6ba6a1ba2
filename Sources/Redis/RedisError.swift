/// An error of the Redis client: connecting, talking to the server, or a reply the server gave.
public struct RedisError: Error, CustomStringConvertible, Sendable {
    private enum Code: Sendable, CustomStringConvertible {
        case connectionFailed
        case connectionLost
        case server
        case unexpectedReply
        case clientClosed
        case invalidURL
        case poolExhausted

        var description: String {
            switch self {
            case .connectionFailed: "connection failed"
            case .connectionLost: "connection lost"
            case .server: "server error"
            case .unexpectedReply: "unexpected reply"
            case .clientClosed: "client closed"
            case .invalidURL: "invalid URL"
            case .poolExhausted: "no connection free"
            }
        }
    }

    private let code: Code
    /// What happened, in the words of hiredis or of the server.
    public let message: String
    /// Where the error was raised.
    public let location: String

    private init(_ code: Code, _ message: String, fileID: String, line: Int) {
        self.code = code
        self.message = message
        self.location = "\(fileID):\(line)"
    }

    /// The server could not be reached.
    public static func connectionFailed(_ message: String, fileID: String = #fileID, line: Int = #line) -> RedisError {
        .init(.connectionFailed, message, fileID: fileID, line: line)
    }
    /// The connection broke (the server went away, or a read or write timed out).
    public static func connectionLost(_ message: String, fileID: String = #fileID, line: Int = #line) -> RedisError {
        .init(.connectionLost, message, fileID: fileID, line: line)
    }
    /// The server answered with an error reply (`ERR …`, `NOSCRIPT …`, `WRONGTYPE …`).
    public static func server(_ message: String, fileID: String = #fileID, line: Int = #line) -> RedisError {
        .init(.server, message, fileID: fileID, line: line)
    }
    /// The reply did not have the shape the command expects.
    public static func unexpectedReply(_ message: String, fileID: String = #fileID, line: Int = #line) -> RedisError {
        .init(.unexpectedReply, message, fileID: fileID, line: line)
    }
    /// The client was closed.
    public static func clientClosed(fileID: String = #fileID, line: Int = #line) -> RedisError {
        .init(.clientClosed, "the Redis client is closed", fileID: fileID, line: line)
    }
    /// The Redis URL is malformed.
    public static func invalidURL(_ message: String, fileID: String = #fileID, line: Int = #line) -> RedisError {
        .init(.invalidURL, message, fileID: fileID, line: line)
    }

    /// Every connection stayed busy for the configured checkout timeout.
    public static func poolExhausted(_ message: String, fileID: String = #fileID, line: Int = #line) -> RedisError {
        .init(.poolExhausted, message, fileID: fileID, line: line)
    }

    /// Whether the error is about the connection rather than the command: another connection may succeed.
    public var isConnectionError: Bool {
        self.code == .connectionFailed || self.code == .connectionLost
    }

    /// Whether the server answered with an error reply.
    public var isServerError: Bool {
        self.code == .server
    }

    public var description: String {
        "RedisError(\(self.code)): \(self.message)"
    }
}
