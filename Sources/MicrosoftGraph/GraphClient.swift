public import Foundation
public import HTTPTransport

/// Microsoft Graph v1.0 for one access token at a time.
public struct GraphClient: Sendable {
    /// The base, `https://graph.microsoft.com/v1.0` in production.
    public let baseURL: URL
    private let transport: any HTTPTransport

    /// Creates a client.
    public init(baseURL: URL, transport: any HTTPTransport) {
        self.baseURL = baseURL
        self.transport = transport
    }

    /// `GET /me`.
    public func me(accessToken: String) async throws -> GraphUser {
        try await self.get("me?$select=id,displayName,mail,userPrincipalName", accessToken: accessToken)
    }

    /// GETs a path under the base, or an absolute link Graph gave (a nextLink or deltaLink), and decodes the answer; a
    /// non-2xx answer throws ``GraphError``.
    public func get<Response: Decodable>(_ pathAndQuery: String, accessToken: String, headers: [(String, String)] = []) async throws -> Response {
        let text = pathAndQuery.lowercased().hasPrefix("http") ? pathAndQuery : "\(self.baseURL.absoluteString)/\(pathAndQuery)"
        guard let url = URL(string: text) else {
            throw GraphError(status: 0, code: GraphError.untrustedLinkCode, message: "a link Graph gave is not a URL")
        }
        let response = try await self.send(HTTPRequestData(method: "GET", url: url, headers: headers), accessToken: accessToken)
        do {
            return try JSONDecoder().decode(Response.self, from: response.body)
        } catch {
            throw GraphError(status: response.status, code: "InvalidResponse", message: "the answer is not the documented JSON")
        }
    }

    /// Sends a request with the bearer token, only to Graph's own origin (the base URL's scheme, host and port): a
    /// link elsewhere, plain http to an https Graph included, throws ``GraphError`` with
    /// ``GraphError/untrustedLinkCode`` and sends nothing. A non-2xx answer throws ``GraphError``.
    public func send(_ request: HTTPRequestData, accessToken: String) async throws -> HTTPResponseData {
        guard Self.origin(of: request.url) == Self.origin(of: self.baseURL) else {
            throw GraphError(
                status: 0,
                code: GraphError.untrustedLinkCode,
                message: "a link leads away from Graph's origin; the token is not sent there"
            )
        }
        var request = request
        request.headers.append(("Authorization", "Bearer \(accessToken)"))
        let response: HTTPResponseData
        do {
            response = try await self.transport.send(request)
        } catch {
            throw GraphError(status: 0, code: "TransportError", message: "\(error)")
        }
        guard (200..<300).contains(response.status) else {
            let answer = try? JSONDecoder().decode(ErrorAnswer.self, from: response.body)
            throw GraphError(
                status: response.status,
                code: answer?.error.code ?? "HTTP\(response.status)",
                message: answer?.error.message ?? "",
                retryAfter: GraphError.retryAfterSeconds(response.header("Retry-After"))
            )
        }
        return response
    }

    /// `scheme://host:port` with the default port spelled out, lower-cased; `nil` without a scheme or host.
    private static func origin(of url: URL) -> String? {
        guard let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased(), !host.isEmpty else { return nil }
        let port = url.port ?? (scheme == "https" ? 443 : scheme == "http" ? 80 : -1)
        return "\(scheme)://\(host):\(port)"
    }

    private struct ErrorAnswer: Decodable {
        struct Body: Decodable {
            var code: String
            var message: String
        }

        var error: Body
    }
}
