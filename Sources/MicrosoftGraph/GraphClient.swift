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

    /// GETs a path under the base and decodes the answer; a non-2xx answer throws ``GraphError``.
    public func get<Response: Decodable>(_ pathAndQuery: String, accessToken: String, headers: [(String, String)] = []) async throws -> Response {
        let url = URL(string: pathAndQuery.hasPrefix("http") ? pathAndQuery : "\(self.baseURL.absoluteString)/\(pathAndQuery)")!
        let response = try await self.send(HTTPRequestData(method: "GET", url: url, headers: headers), accessToken: accessToken)
        do {
            return try JSONDecoder().decode(Response.self, from: response.body)
        } catch {
            throw GraphError(status: response.status, code: "InvalidResponse", message: "the answer is not the documented JSON")
        }
    }

    /// Sends a request with the bearer token; a non-2xx answer throws ``GraphError``.
    public func send(_ request: HTTPRequestData, accessToken: String) async throws -> HTTPResponseData {
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
                retryAfter: response.header("Retry-After").flatMap(Double.init)
            )
        }
        return response
    }

    private struct ErrorAnswer: Decodable {
        struct Body: Decodable {
            var code: String
            var message: String
        }

        var error: Body
    }
}
