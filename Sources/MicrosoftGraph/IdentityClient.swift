public import Foundation
public import HTTPTransport

/// The authorization-code flow with PKCE against the Microsoft identity platform's v2.0 endpoints.
public struct IdentityClient: Sendable {
    /// The registration and endpoints.
    public let configuration: IdentityConfiguration
    private let transport: any HTTPTransport

    /// Creates a client.
    public init(configuration: IdentityConfiguration, transport: any HTTPTransport) {
        self.configuration = configuration
        self.transport = transport
    }

    private var endpoint: URL {
        self.configuration.baseURL.appendingPathComponent(self.configuration.tenant).appendingPathComponent("oauth2/v2.0")
    }

    /// The URL that sends the browser to sign in: code flow, PKCE S256, the given state, an account picker.
    public func authorizeURL(state: String, pkce: PKCEPair, loginHint: String? = nil) -> URL {
        var components = URLComponents(url: self.endpoint.appendingPathComponent("authorize"), resolvingAgainstBaseURL: false)!
        var items = [
            URLQueryItem(name: "client_id", value: self.configuration.clientID),
            URLQueryItem(name: "response_type", value: "code"),
            URLQueryItem(name: "redirect_uri", value: self.configuration.redirectURI),
            URLQueryItem(name: "response_mode", value: "query"),
            URLQueryItem(name: "scope", value: self.configuration.scopes.joined(separator: " ")),
            URLQueryItem(name: "state", value: state),
            URLQueryItem(name: "code_challenge", value: pkce.challenge),
            URLQueryItem(name: "code_challenge_method", value: "S256"),
            // The person sees which mailbox is being connected, even when the browser is signed in to one already.
            URLQueryItem(name: "prompt", value: "select_account"),
        ]
        if let loginHint { items.append(URLQueryItem(name: "login_hint", value: loginHint)) }
        components.queryItems = items
        // URLComponents leaves '+' alone, which a form decoder reads as a space.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return components.url!
    }

    /// Redeems an authorization code.
    public func redeem(code: String, verifier: String) async throws -> TokenResponse {
        try await self.token([
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", self.configuration.redirectURI), ("code_verifier", verifier),
        ])
    }

    /// Redeems a refresh token; the answer carries the next one.
    public func refresh(refreshToken: String) async throws -> TokenResponse {
        try await self.token([("grant_type", "refresh_token"), ("refresh_token", refreshToken)])
    }

    private func token(_ fields: [(String, String)]) async throws -> TokenResponse {
        var form = [("client_id", self.configuration.clientID)] + fields
        if let secret = self.configuration.clientSecret { form.append(("client_secret", secret)) }
        let body = FormURLEncoding.encode(form)
        let request = HTTPRequestData(
            method: "POST",
            url: self.endpoint.appendingPathComponent("token"),
            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
            body: Data(body.utf8),
            timeout: .seconds(30)
        )
        let response: HTTPResponseData
        do {
            response = try await self.transport.send(request)
        } catch {
            throw IdentityError(status: 0, error: "temporarily_unavailable", codes: [], message: "the identity platform did not answer: \(error)")
        }
        guard response.status == 200 else {
            let answer = try? JSONDecoder().decode(ErrorAnswer.self, from: response.body)
            let firstLine = answer?.errorDescription?.split(whereSeparator: \.isNewline).first.map(String.init) ?? "HTTP \(response.status)"
            throw IdentityError(status: response.status, error: answer?.error ?? "server_error", codes: answer?.errorCodes ?? [], message: firstLine)
        }
        do {
            return try JSONDecoder().decode(TokenResponse.self, from: response.body)
        } catch {
            throw IdentityError(status: response.status, error: "server_error", codes: [], message: "the token answer is not the documented JSON")
        }
    }

    private struct ErrorAnswer: Decodable {
        var error: String?
        var errorDescription: String?
        var errorCodes: [Int]?

        enum CodingKeys: String, CodingKey {
            case error
            case errorDescription = "error_description"
            case errorCodes = "error_codes"
        }
    }
}
