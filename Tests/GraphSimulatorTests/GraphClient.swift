import Crypto
import Foundation
import GraphSimulator
import HTTPTransport
import Testing

/// A Graph client written from Microsoft's documentation, pointed at a running simulator over real HTTP.
struct GraphClient {
    static let clientID = SimulatorConfiguration().clientID
    static let redirectURI = "http://127.0.0.1:8080/oauth/callback"

    let base: String
    let transport = URLSessionTransport()

    struct Reply {
        var status: Int
        var headers: [String: String]
        var body: Data

        var json: JSONValue { JSONValue.parse(self.body) ?? .null }
    }

    func send(
        _ method: String,
        _ pathOrURL: String,
        token: String? = nil,
        headers: [(String, String)] = [],
        json: JSONValue? = nil,
        form: [(String, String)]? = nil
    ) async throws -> Reply {
        let url = URL(string: pathOrURL.hasPrefix("http") ? pathOrURL : self.base + pathOrURL)!
        var allHeaders = headers
        if let token { allHeaders.append(("Authorization", "Bearer \(token)")) }
        var body: Data?
        if let json {
            body = json.data
            allHeaders.append(("Content-Type", "application/json"))
        }
        if let form {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            body = Data(form.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&").utf8)
            allHeaders.append(("Content-Type", "application/x-www-form-urlencoded"))
        }
        let response = try await self.transport.send(
            HTTPRequestData(method: method, url: url, headers: allHeaders, body: body, timeout: .seconds(20))
        )
        return Reply(status: response.status, headers: response.headers, body: response.body)
    }

    /// `GET /sim/stats`, polled until `condition` holds or 10 s pass: counters move just after deliveries end.
    func stats(until condition: (JSONValue) -> Bool) async throws -> JSONValue {
        let deadline = ContinuousClock.now + .seconds(10)
        var stats = try await self.send("GET", "/sim/stats").json
        while !condition(stats), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            stats = try await self.send("GET", "/sim/stats").json
        }
        return stats
    }

    /// Creates a simulated mailbox through the control API.
    func createMailbox(_ address: String, messages: Int, seed: Int = 1) async throws -> String {
        let reply = try await self.send(
            "POST",
            "/sim/mailboxes",
            json: .object([
                ("address", .string(address)), ("displayName", .string("Ada Lovelace")), ("messages", .number(Double(messages))),
                ("seed", .number(Double(seed))),
            ])
        )
        #expect(reply.status == 201)
        return try #require(reply.json["id"]?.stringValue)
    }

    static func challenge(_ verifier: String) -> String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The authorize URL of the code flow with PKCE S256.
    func authorizeURL(
        loginHint: String?,
        verifier: String,
        scope: String = "offline_access User.Read Mail.Read Mail.Send",
        state: String = "st4te",
        nonce: String? = nil,
        clientID: String = Self.clientID
    ) -> String {
        var items = [
            ("client_id", clientID), ("response_type", "code"), ("redirect_uri", Self.redirectURI), ("scope", scope), ("state", state),
            ("code_challenge", Self.challenge(verifier)), ("code_challenge_method", "S256"),
        ]
        if let loginHint { items.append(("login_hint", loginHint)) }
        if let nonce { items.append(("nonce", nonce)) }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return "/common/oauth2/v2.0/authorize?"
            + items.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
    }

    /// The query items of a redirect's Location.
    static func redirectQuery(_ reply: Reply) throws -> [String: String] {
        let location = try #require(reply.headers["location"])
        let components = try #require(URLComponents(string: location))
        return Dictionary(uniqueKeysWithValues: (components.queryItems ?? []).map { ($0.name, $0.value ?? "") })
    }

    /// Signs in as a mailbox and redeems the code: the access and refresh tokens.
    func signIn(_ address: String) async throws -> (access: String, refresh: String) {
        let verifier = String(repeating: "v", count: 43)
        let reply = try await self.send("GET", self.authorizeURL(loginHint: address, verifier: verifier))
        let code = try #require(try Self.redirectQuery(reply)["code"])
        let token = try await self.redeem(code: code, verifier: verifier)
        #expect(token.status == 200)
        return (try #require(token.json["access_token"]?.stringValue), try #require(token.json["refresh_token"]?.stringValue))
    }

    func redeem(code: String, verifier: String, redirectURI: String = Self.redirectURI, clientID: String = Self.clientID) async throws -> Reply {
        try await self.send(
            "POST",
            "/common/oauth2/v2.0/token",
            form: [
                ("client_id", clientID), ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI),
                ("code_verifier", verifier),
            ]
        )
    }
}
