internal import Foundation
internal import HTTPTransport
internal import MailpulseCore

/// Elasticsearch's REST API over ``HTTPTransport``: JSON in, JSON out, errors as ``ElasticsearchError``, an
/// unreachable cluster as ``MailStoreError/unavailable(_:)``.
struct ElasticsearchClient: Sendable {
    let configuration: ElasticsearchConfiguration
    let transport: any HTTPTransport

    /// Sends a request; answers the status and body of any HTTP answer (callers decide which statuses are errors).
    func send(
        _ method: String,
        _ path: String,
        query: [(String, String)] = [],
        json: Data? = nil,
        contentType: String = "application/json",
        timeout: Duration = .seconds(30)
    ) async throws -> HTTPResponseData {
        var components = URLComponents(url: self.configuration.url, resolvingAgainstBaseURL: false)!
        components.percentEncodedPath = components.percentEncodedPath.trimmingSuffix("/") + path
        if !query.isEmpty {
            components.percentEncodedQuery = query.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        }
        var headers = [("Accept", "application/json")]
        if json != nil { headers.append(("Content-Type", contentType)) }
        switch self.configuration.credentials {
        case .none: break
        case .basic(let user, let password): headers.append(("Authorization", "Basic \(Data("\(user):\(password)".utf8).base64EncodedString())"))
        case .apiKey(let key): headers.append(("Authorization", "ApiKey \(key)"))
        }
        do {
            return try await self.transport.send(
                HTTPRequestData(method: method, url: components.url!, headers: headers, body: json, timeout: timeout)
            )
        } catch let error as HTTPTransportError {
            throw MailStoreError.unavailable("Elasticsearch at \(self.configuration.url) did not answer: \(error.message)")
        }
    }

    /// Sends a request and answers its body, or throws the error of a status outside `accepted` (default 2xx).
    func call(
        _ method: String,
        _ path: String,
        query: [(String, String)] = [],
        json: Data? = nil,
        contentType: String = "application/json",
        timeout: Duration = .seconds(30),
        accepting accepted: Set<Int> = []
    ) async throws -> Data {
        let response = try await self.send(method, path, query: query, json: json, contentType: contentType, timeout: timeout)
        guard (200..<300).contains(response.status) || accepted.contains(response.status) else {
            throw ElasticsearchError(status: response.status, body: response.body)
        }
        return response.body
    }

    /// A path segment, percent-encoded (document ids hold `:`, `/`, `+`, `=`).
    static func encode(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? segment
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        self.hasSuffix(suffix) ? String(self.dropLast(suffix.count)) : self
    }
}
