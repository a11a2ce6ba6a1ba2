public import Foundation

/// Sends one HTTP request and returns the whole response: the one seam of every outbound HTTP call.
public protocol HTTPTransport: Sendable {
    /// Sends a request; throws ``HTTPTransportError`` when no response arrives (connection, timeout).
    func send(_ request: HTTPRequestData) async throws -> HTTPResponseData
}

/// An outbound HTTP request.
public struct HTTPRequestData: Sendable {
    /// The method, such as `GET` or `POST`.
    public var method: String
    /// The absolute URL.
    public var url: URL
    /// Header fields, in order.
    public var headers: [(String, String)]
    /// The body, if any.
    public var body: Data?
    /// How long to wait for the whole response.
    public var timeout: Duration

    /// Creates a request.
    public init(method: String, url: URL, headers: [(String, String)] = [], body: Data? = nil, timeout: Duration = .seconds(30)) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// A received HTTP response.
public struct HTTPResponseData: Sendable {
    /// The status code.
    public var status: Int
    /// Header fields by lowercased name.
    public var headers: [String: String]
    /// The body.
    public var body: Data

    /// Creates a response.
    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A header's value, by case-insensitive name.
    public func header(_ name: String) -> String? {
        self.headers[name.lowercased()]
    }
}

/// No response arrived: the connection failed or the timeout passed.
public struct HTTPTransportError: Error, CustomStringConvertible {
    /// What happened.
    public let message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { "HTTPTransportError: \(self.message)" }
}
