internal import Foundation
internal import HTTPTransport
internal import Hummingbird
internal import MIME

/// The identity platform's v2.0 endpoints: `/{tenant}/oauth2/v2.0/authorize` and `/token`.
struct IdentityRoutes: Sendable {
    let state: SimulatorState

    static let tenants = ["common", "consumers", "organizations"]

    func add(to router: Router<BasicRequestContext>) {
        router.get("/:tenant/oauth2/v2.0/authorize") { request, context in
            try await self.authorize(parameters: Self.query(request), context: context)
        }
        router.post("/:tenant/oauth2/v2.0/authorize") { request, context in
            var request = request
            let body = try await request.collectBody(upTo: 64 * 1024)
            return try await self.authorize(parameters: FormData.decode(String(buffer: body)), context: context)
        }
        router.post("/:tenant/oauth2/v2.0/token") { request, context in
            var request = request
            let body = try await request.collectBody(upTo: 64 * 1024)
            return await self.token(FormData.decode(String(buffer: body)))
        }
    }

    static func query(_ request: Request) -> [String: String] {
        FormData.decode(request.uri.query ?? "")
    }

    private static func isTenant(_ text: String) -> Bool {
        Self.tenants.contains(text.lowercased()) || UUID(uuidString: text) != nil || text.contains(".")
    }

    // MARK: Authorize

    private func authorize(parameters: [String: String], context: BasicRequestContext) async throws -> Response {
        let tenant = context.parameters.get("tenant") ?? ""
        let configuration = self.state.configuration
        guard Self.isTenant(tenant) else {
            return Self.page(status: .badRequest, title: "Sign in failed", body: "AADSTS90002: Tenant '\(HTMLText.escaped(tenant))' not found.")
        }
        guard parameters["client_id"] == configuration.clientID else {
            return Self.page(
                status: .badRequest,
                title: "Sign in failed",
                body: "AADSTS700016: Application with identifier '\(HTMLText.escaped(parameters["client_id"] ?? ""))' was not found in the directory."
            )
        }
        guard let redirectURI = parameters["redirect_uri"], configuration.isRegistered(redirectURI: redirectURI) else {
            return Self.page(
                status: .badRequest,
                title: "Sign in failed",
                body:
                    "AADSTS50011: The redirect URI '\(HTMLText.escaped(parameters["redirect_uri"] ?? ""))' specified in the request does not match the redirect URIs configured for the application."
            )
        }
        let state = parameters["state"]
        guard parameters["response_type"] == "code" else {
            return Self.redirect(
                redirectURI,
                error: "unsupported_response_type",
                description: "AADSTS700054: response_type 'code' is required.",
                state: state
            )
        }
        let scopes = (parameters["scope"] ?? "").split(separator: " ").map(String.init)
        guard !scopes.isEmpty else {
            return Self.redirect(
                redirectURI,
                error: "invalid_request",
                description: "AADSTS900144: The request body must contain the following parameter: 'scope'.",
                state: state
            )
        }
        let method = parameters["code_challenge_method"] ?? "plain"
        if parameters["code_challenge"] != nil, !["S256", "plain"].contains(method) {
            return Self.redirect(redirectURI, error: "invalid_request", description: "AADSTS501491: Invalid code_challenge_method.", state: state)
        }
        if parameters["decision"] == "decline" {
            return Self.redirect(
                redirectURI,
                error: "access_denied",
                description: "AADSTS65004: User declined to consent to access the app.",
                state: state
            )
        }
        let chosen = parameters["mailbox"] ?? parameters["login_hint"]
        guard let chosen, let mailbox = await self.state.mailbox(address: chosen) else {
            return await self.signInPage(parameters: parameters)
        }
        let code = await self.state.issueCode(
            SimulatorState.AuthorizationCode(
                mailboxID: mailbox.id,
                clientID: configuration.clientID,
                redirectURI: redirectURI,
                scopes: scopes,
                challenge: parameters["code_challenge"],
                challengeMethod: method,
                nonce: parameters["nonce"],
                expiresAt: Date().addingTimeInterval(600)
            )
        )
        var items = [("code", code)]
        if let state { items.append(("state", state)) }
        return Self.redirect(to: redirectURI, items: items)
    }

    private func signInPage(parameters: [String: String]) async -> Response {
        let mailboxes = await self.state.allMailboxes()
        let hidden = parameters.filter { !["mailbox", "decision"].contains($0.key) }.sorted { $0.key < $1.key }
            .map { "<input type=\"hidden\" name=\"\(HTMLText.escaped($0.key))\" value=\"\(HTMLText.escaped($0.value))\">" }.joined()
        let choices = mailboxes.map { mailbox in
            """
            <li><form method="post">\(hidden)<input type="hidden" name="mailbox" value="\(HTMLText.escaped(mailbox.address))">
            <button name="decision" value="accept" data-mailbox="\(HTMLText.escaped(mailbox.address))">\(HTMLText.escaped(mailbox.displayName)) &lt;\(HTMLText.escaped(mailbox.address))&gt;</button></form></li>
            """
        }.joined()
        let scopes = HTMLText.escaped(parameters["scope"] ?? "")
        let body = """
            <p>Pick an account. The app asks for: <code>\(scopes)</code></p>
            <ul>\(choices.isEmpty ? "<li>No simulated mailbox yet: create one with POST /sim/mailboxes.</li>" : choices)</ul>
            <form method="post">\(hidden)<button name="decision" value="decline" id="decline">Cancel (decline consent)</button></form>
            """
        return Self.page(status: .ok, title: "Sign in to your account (simulated)", body: body)
    }

    private static func redirect(_ uri: String, error: String, description: String, state: String?) -> Response {
        var items = [("error", error), ("error_description", description)]
        if let state { items.append(("state", state)) }
        return Self.redirect(to: uri, items: items)
    }

    private static func redirect(to uri: String, items: [(String, String)]) -> Response {
        let separator = uri.contains("?") ? "&" : "?"
        return Response(status: .found, headers: [.location: uri + separator + FormURLEncoding.encode(items)])
    }

    static func page(status: HTTPResponse.Status, title: String, body: String) -> Response {
        let html = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>\(title)</title>
            <style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto}button{margin:.3rem 0;padding:.5rem 1rem}</style>
            </head><body><h1>\(title)</h1>\(body)</body></html>
            """
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    // MARK: Token

    private func token(_ form: [String: String]) async -> Response {
        let configuration = self.state.configuration
        guard let grantType = form["grant_type"] else {
            return Self.tokenError(400, "invalid_request", code: 900144, "The request body must contain the following parameter: 'grant_type'.")
        }
        guard let clientID = form["client_id"] else {
            return Self.tokenError(400, "invalid_request", code: 900144, "The request body must contain the following parameter: 'client_id'.")
        }
        guard clientID == configuration.clientID else {
            return Self.tokenError(
                400,
                "unauthorized_client",
                code: 700016,
                "Application with identifier '\(clientID)' was not found in the directory."
            )
        }
        do {
            let grant: SimulatorState.TokenGrant
            switch grantType {
            case "authorization_code":
                guard let code = form["code"], let redirectURI = form["redirect_uri"] else {
                    return Self.tokenError(
                        400,
                        "invalid_request",
                        code: 900144,
                        "The request body must contain the following parameter: 'code' and 'redirect_uri'."
                    )
                }
                grant = try await self.state.redeem(code: code, clientID: clientID, redirectURI: redirectURI, verifier: form["code_verifier"])
            case "refresh_token":
                guard let refreshToken = form["refresh_token"] else {
                    return Self.tokenError(
                        400,
                        "invalid_request",
                        code: 900144,
                        "The request body must contain the following parameter: 'refresh_token'."
                    )
                }
                grant = try await self.state.refresh(token: refreshToken, clientID: clientID)
            default:
                return Self.tokenError(400, "unsupported_grant_type", code: 70003, "The app requested an unsupported grant type '\(grantType)'.")
            }
            let granted = grant.scopes.filter { !["offline_access", "openid", "profile", "email"].contains($0.lowercased()) }
            var members: [(String, JSONValue)] = [
                ("token_type", .string("Bearer")),
                ("scope", .string(granted.joined(separator: " "))),
                ("expires_in", .number(Double(grant.expiresIn))),
                ("ext_expires_in", .number(Double(grant.expiresIn))),
                ("access_token", .string(grant.accessToken)),
            ]
            if let refresh = grant.refreshToken { members.append(("refresh_token", .string(refresh))) }
            if let idToken = grant.idToken { members.append(("id_token", .string(idToken))) }
            return Self.json(.object(members), status: .ok)
        } catch {
            switch error {
            case .invalidGrant(let code, let message): return Self.tokenError(400, "invalid_grant", code: code, message)
            }
        }
    }

    /// The identity platform's error body: error, description with its AADSTS code and ids, codes, timestamp, ids.
    static func tokenError(_ status: Int, _ error: String, code: Int, _ message: String) -> Response {
        let traceID = UUID().uuidString.lowercased()
        let correlationID = UUID().uuidString.lowercased()
        let timestamp = GraphDate.format(Date()).replacingOccurrences(of: "T", with: " ")
        let body = JSONValue.object([
            ("error", .string(error)),
            (
                "error_description",
                .string("AADSTS\(code): \(message)\r\nTrace ID: \(traceID)\r\nCorrelation ID: \(correlationID)\r\nTimestamp: \(timestamp)")
            ),
            ("error_codes", .array([.number(Double(code))])),
            ("timestamp", .string(timestamp)),
            ("trace_id", .string(traceID)),
            ("correlation_id", .string(correlationID)),
            ("error_uri", .string("https://login.microsoftonline.com/error?code=\(code)")),
        ])
        return Self.json(body, status: HTTPResponse.Status(code: status))
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: value.data)))
    }
}
