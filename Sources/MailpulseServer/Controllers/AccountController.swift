internal import Foundation
internal import HTTPTransport
internal import HTTPTypes
internal import Hummingbird
internal import Logging
internal import MailpulseCore
internal import Secrets
internal import SyncEngine

/// Local accounts and the link to the provider: create, read, delete, relink, and the OAuth callback.
///
/// Two ways to create accounts: open (any browser creates one, limited per client address) and, with
/// ``adminKeyDigest``, only a backend holding the key, which hands its user's browser a one-time start URL. Either way a
/// sign-in links only in the browser that started it (``LoginBinding``), and never replaces an account's mailbox
/// with another.
struct AccountController: Sendable {
    static let stateLifetime = Duration.seconds(600)
    /// The OAuth error codes passed on to the callback URL as they are; any other becomes `provider_error`.
    static let knownProviderErrors: Set<String> = [
        "access_denied", "invalid_request", "unauthorized_client", "unsupported_response_type", "invalid_scope", "server_error",
        "temporarily_unavailable", "consent_required", "interaction_required", "login_required",
    ]

    let dependencies: MailpulseDependencies
    let publicURL: String
    /// Origins a callback URL may point at.
    let allowedOrigins: [String]
    /// The SHA-256 of ``MailpulseConfiguration/adminAPIKey``, when one is set: only requests carrying the key create
    /// accounts.
    let adminKeyDigest: Data?
    /// Accounts one client may create, when anyone may.
    let creationLimit: RateLimit
    let clientAddress: ClientAddress
    let accounts: AccountRemoval

    /// Whether the service is reached over https: cookies are then `Secure` and `__Host-` prefixed.
    var secureCookies: Bool { self.publicURL.lowercased().hasPrefix("https://") }

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.post("api/accounts", use: self.create)
        routes.get("api/accounts/:id", use: self.read)
        routes.delete("api/accounts/:id", use: self.delete)
        routes.post("api/accounts/:id/relink", use: self.relink)
        routes.get("oauth/start", use: self.start)
        routes.get("oauth/callback", use: self.callback)
        return routes
    }

    // MARK: API

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let digest = self.adminKeyDigest {
            guard let presented = AccountCredentials.bearerToken(in: request) ?? request.headers[.adminKey],
                SecretDigest.constantTimeEqual(SecretDigest.sha256(presented), digest)
            else {
                throw HTTPError(.unauthorized, message: "accounts are created by this service's backend: send ADMIN_API_KEY as a bearer token")
            }
        } else {
            try await self.takeCreationToken(request, context: context)
        }
        let input: CreateAccountRequest
        do {
            input = try await request.decode(as: CreateAccountRequest.self, context: context)
        } catch {
            throw HTTPError(.badRequest, message: "the body must be JSON: {\"provider\":\"outlook\",\"callbackUrl\":\"https://…\"}")
        }
        let served = self.dependencies.provider.served
        guard let kind = MailProviderKind(rawValue: input.provider), served.contains(kind) else {
            let names = served.map { "\"\($0.rawValue)\"" }.sorted().joined(separator: " or ")
            throw HTTPError(.badRequest, message: "provider must be \(names)")
        }
        if kind.signsInWithPassword {
            return try await self.createWithPassword(kind, input, request: request, context: context)
        }
        let callback = try self.checkedCallback(input.callbackUrl)
        let now = Date()
        let account = Account(id: .random(), provider: kind, status: .pending, createdAt: now, updatedAt: now)
        let token = AccountCredentials.newToken()
        try await self.dependencies.store.createAccount(account)
        try await self.dependencies.store.saveAPITokenHash(AccountCredentials.hash(token), for: account.id)
        let handOff = try await self.handOff(try await self.startLogin(account.id, callback: callback), for: account.id)
        context.logger.info("Account created", metadata: ["account.id": "\(account.id)"])
        var response = try CreatedAccount(
            id: account.id.description,
            loginUrl: handOff.url,
            token: token,
            startUrl: handOff.startURL,
            status: account.status.rawValue
        )
        .response(from: request, context: context)
        response.status = .created
        if let binding = handOff.bindingCookie {
            response.headers.append(HTTPField(name: .setCookie, value: AccountCredentials.cookie(token, for: account.id, secure: self.secureCookies)))
            response.headers.append(HTTPField(name: .setCookie, value: binding))
        }
        return response
    }

    @Sendable func read(_ request: Request, context: AppRequestContext) async throws -> AccountDTO {
        AccountDTO(try await self.authenticated(request, context))
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let account = try await self.authenticated(request, context)
        try await self.accounts.remove(account.id, logger: context.logger)
        return .noContent
    }

    @Sendable func relink(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try await self.authenticated(request, context)
        var callback = "\(self.publicURL)/data.html"
        let body = try await request.body.collect(upTo: 64 * 1024)
        var input: RelinkRequest?
        if body.readableBytes > 0 {
            guard let decoded = try? JSONDecoder().decode(RelinkRequest.self, from: Data(body.readableBytesView)) else {
                throw HTTPError(.badRequest, message: "the body, when given, must be JSON: {\"callbackUrl\":\"https://…\"}")
            }
            input = decoded
        }
        if account.provider.signsInWithPassword {
            return try await self.relinkWithPassword(account, input?.imap, request: request, context: context)
        }
        if let input { callback = try self.checkedCallback(input.callbackUrl) }
        let handOff = try await self.handOff(try await self.startLogin(account.id, callback: callback), for: account.id)
        var response = try LoginLink(loginUrl: handOff.url, startUrl: handOff.startURL).response(from: request, context: context)
        if let binding = handOff.bindingCookie { response.headers.append(HTTPField(name: .setCookie, value: binding)) }
        return response
    }

    // MARK: Password sign-in

    /// An account of a kind that signs in with a password: linked at once after a real sign-in, or not created at all.
    private func createWithPassword(
        _ kind: MailProviderKind,
        _ input: CreateAccountRequest,
        request: Request,
        context: AppRequestContext
    ) async throws -> Response {
        guard let settings = input.imap else {
            throw HTTPError(
                .badRequest,
                message:
                    "provider \"\(kind.rawValue)\" needs \"imap\": {\"host\",\"port\",\"security\":\"tls\"|\"starttls\"|\"none\",\"username\",\"password\"}"
            )
        }
        let (tokens, identity) = try await self.signIn(try settings.credentials(for: kind), kind: kind, context: context)
        let now = Date()
        let account = Account(id: .random(), provider: kind, status: .linked, identity: identity, createdAt: now, updatedAt: now)
        let token = AccountCredentials.newToken()
        try await self.dependencies.store.createAccount(account)
        do {
            try await self.dependencies.tokenVault.store(tokens, for: account.id)
            try await self.dependencies.store.saveAPITokenHash(AccountCredentials.hash(token), for: account.id)
        } catch {
            // Half an account is no account: nothing of it stays.
            try? await self.accounts.remove(account.id, logger: context.logger)
            throw error
        }
        context.logger.info("Account linked", metadata: ["account.id": "\(account.id)", "account.provider": "\(kind.rawValue)"])
        await self.dependencies.linkObserver.accountLinked(account.id)
        var response = try CreatedAccount(id: account.id.description, loginUrl: nil, token: token, startUrl: nil, status: account.status.rawValue)
            .response(from: request, context: context)
        response.status = .created
        response.headers.append(HTTPField(name: .setCookie, value: AccountCredentials.cookie(token, for: account.id, secure: self.secureCookies)))
        return response
    }

    /// New credentials (a changed password) for an account that signs in with one: checked by a real sign-in, and
    /// only for the same mailbox.
    private func relinkWithPassword(
        _ account: Account,
        _ settings: ServerSettingsInput?,
        request: Request,
        context: AppRequestContext
    ) async throws -> Response {
        guard let settings else {
            throw HTTPError(.badRequest, message: "send the new password: {\"imap\":{\"password\":\"…\"}}")
        }
        let known = try await self.dependencies.tokenVault.tokens(for: account.id).flatMap(self.dependencies.passwordSignIn.credentials)
        let credentials = try settings.credentials(for: account.provider, known: known)
        let (tokens, identity) = try await self.signIn(credentials, kind: account.provider, context: context)
        if let linked = account.identity, linked.providerUserID != identity.providerUserID {
            throw HTTPError(.badRequest, message: "these credentials sign in to another mailbox: an account keeps the mailbox it was linked to")
        }
        let relinked = try await self.completeLink(account, tokens: tokens, identity: identity, logger: context.logger)
        return try AccountDTO(relinked).response(from: request, context: context)
    }

    /// A real sign-in; a refusal is a 400 that says what went wrong (the password, the host, TLS).
    private func signIn(
        _ credentials: ServerCredentials,
        kind: MailProviderKind,
        context: AppRequestContext
    ) async throws -> (tokens: OAuthTokens, identity: AccountIdentity) {
        do {
            return try await self.dependencies.passwordSignIn.signIn(credentials, kind: kind)
        } catch let failure as SignInFailure {
            context.logger.info("Password sign-in refused", metadata: ["error.type": "\(failure)"])
            throw HTTPError(.badRequest, message: failure.description)
        }
    }

    // MARK: OAuth

    /// `GET /oauth/start?ticket=…`: a backend's one-time start URL, opened by its user's browser: binds the sign-in to
    /// this browser and sends it to the provider.
    @Sendable func start(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let ticket = request.uri.queryParameters["ticket"].map(String.init), !ticket.isEmpty, ticket.utf8.count <= 128,
            let stored = try await self.dependencies.backplane.takeSingleUse("login-start:\(ticket)"),
            let start = try? JSONDecoder().decode(LoginStart.self, from: Data(stored.utf8)), let account = AccountID(start.account)
        else {
            return Self.page(
                .badRequest,
                "Sign-in link not valid",
                "This sign-in link was used already or has expired: links work once, for 10 minutes. Ask the application for a new one."
            )
        }
        return Response(
            status: .found,
            headers: [.location: start.loginUrl, .setCookie: LoginBinding.cookie(start.nonce, for: account, secure: self.secureCookies)]
        )
    }

    @Sendable func callback(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        guard let state = query["state"].map(String.init), !state.isEmpty, state.utf8.count <= 128 else {
            return Self.page(.badRequest, "Sign-in failed", "The provider sent no state: this address is only reached back from the sign-in page.")
        }
        guard let stored = try await self.dependencies.backplane.takeSingleUse("oauth-state:\(state)") else {
            let used = try await self.dependencies.backplane.takeSingleUse("oauth-state-used:\(state)") != nil
            let reason =
                used
                ? "This sign-in was already completed: its link works once. Start again from the add-account page."
                : "This sign-in is unknown or expired (a sign-in must finish within 10 minutes). Start again from the add-account page."
            return Self.page(.badRequest, "Sign-in failed", reason)
        }
        _ = try await self.dependencies.backplane.putSingleUse("oauth-state-used:\(state)", value: "1", ttl: Self.stateLifetime)
        guard let pending = try? JSONDecoder().decode(PendingLogin.self, from: Data(stored.utf8)), let id = AccountID(pending.account),
            let account = try await self.dependencies.store.account(id)
        else {
            return Self.page(.badRequest, "Sign-in failed", "The account this sign-in was for no longer exists.")
        }
        guard LoginBinding.isPresented(in: request, for: id, secure: self.secureCookies, expected: pending.binding) else {
            context.logger.warning("Sign-in refused: not started in this browser", metadata: ["account.id": "\(id)"])
            return Self.page(
                .badRequest,
                "Sign-in not linked",
                "This sign-in was not started in this browser, so no mailbox was linked. "
                    + "If you did not ask to connect your mailbox, close this page: someone may have sent you their link. "
                    + "To add your own mailbox, start from the add-account page."
            )
        }
        // Every answer from here ends the sign-in: the browser's binding cookie goes with it.
        let clearBinding = LoginBinding.expiredCookie(for: id, secure: self.secureCookies)
        func back(_ status: String, error: String? = nil) -> Response {
            let items = [("account", id.description), ("status", status)] + (error.map { [("error", $0)] } ?? [])
            return Self.redirect(pending.callbackUrl, items, cookie: clearBinding)
        }
        if let error = query["error"].map(String.init) {
            let code = Self.knownProviderErrors.contains(error) ? error : "provider_error"
            context.logger.info("Sign-in refused", metadata: ["account.id": "\(id)", "oauth.error": "\(code)"])
            return back("error", error: code)
        }
        guard let code = query["code"].map(String.init), !code.isEmpty else {
            return back("error", error: "invalid_request")
        }
        let tokens: OAuthTokens
        let identity: AccountIdentity
        do {
            tokens = try await self.dependencies.provider.redeemLogin(code: code, verifier: pending.verifier, for: id)
            // Through the mailbox's rate limits, so a throttled or failed read of /me is retried: the code is spent.
            identity = try await self.dependencies.provider.identity(of: id, accessToken: tokens.accessToken)
        } catch {
            context.logger.warning("Sign-in failed", metadata: ["account.id": "\(id)", "error.type": "\(type(of: error))"])
            return back("error", error: "login_failed")
        }
        if let linked = account.identity, linked.providerUserID != identity.providerUserID {
            // Another mailbox's tokens would mix two mailboxes in one mirror: the account keeps its own.
            context.logger.warning("Relink refused: a different mailbox", metadata: ["account.id": "\(id)"])
            return back("error", error: "mailbox_mismatch")
        }
        _ = try await self.completeLink(account, tokens: tokens, identity: identity, logger: context.logger)
        return back("linked")
    }

    /// Links an existing account to the mailbox it signed in to (a sign-in's callback, a relink with a password): its
    /// tokens sealed, its identity and `linked` stored, its sync started. Answers the account as stored.
    private func completeLink(_ account: Account, tokens: OAuthTokens, identity: AccountIdentity, logger: Logger) async throws -> Account {
        try await self.dependencies.tokenVault.store(tokens, for: account.id)
        var linked = account
        linked.identity = identity
        linked.status = .linked
        linked.updatedAt = Date()
        try await self.dependencies.store.updateAccount(linked)
        logger.info("Account linked", metadata: ["account.id": "\(account.id)"])
        await self.dependencies.linkObserver.accountLinked(account.id)
        return linked
    }

    // MARK: Helpers

    private func authenticated(_ request: Request, _ context: AppRequestContext) async throws -> Account {
        try await AccountCredentials.authenticate(request, context: context, store: self.dependencies.store)
    }

    /// Takes one account creation from the client's hourly allowance, or refuses with 429 and `Retry-After`.
    private func takeCreationToken(_ request: Request, context: AppRequestContext) async throws {
        let peer = context.remoteAddress?.ipAddress
        let client = self.clientAddress.of(request, peer: peer) ?? "unknown"
        let decision = try await self.dependencies.backplane.takeTokens(1, from: "account-creation:\(client)", limit: self.creationLimit)
        if case .retryAfter(let wait) = decision {
            throw HTTPError(
                .tooManyRequests,
                headers: [.retryAfter: "\(wait.retryAfterSeconds)"],
                message:
                    "too many accounts created from this address: at most \(self.creationLimit.capacity) an hour; try again in \(wait.retryAfterSeconds) s"
            )
        }
    }

    /// A sign-in begun: the provider's URL (its `state` stored single-use with the browser binding's digest) and the
    /// nonce the starting browser must hold.
    private func startLogin(_ account: AccountID, callback: String) async throws -> (url: String, nonce: String) {
        let state = AccountCredentials.newToken()
        let nonce = AccountCredentials.newToken()
        let login = try await self.dependencies.provider.beginLogin(for: account, state: state)
        let pending = PendingLogin(account: account.description, verifier: login.verifier, callbackUrl: callback, binding: LoginBinding.digest(nonce))
        try await self.keepOnce(pending, as: "oauth-state:\(state)")
        return (login.url, nonce)
    }

    /// How a begun sign-in reaches the browser. Open mode: the provider's URL, and the binding cookie for the browser
    /// that asked. With an admin key: a one-time URL of this service that sets the binding cookie in whichever
    /// browser opens it, then goes on to the provider (backends create accounts for browsers they do not control).
    private func handOff(
        _ login: (url: String, nonce: String),
        for account: AccountID
    ) async throws -> (url: String, startURL: String?, bindingCookie: String?) {
        guard self.adminKeyDigest != nil else {
            return (login.url, nil, LoginBinding.cookie(login.nonce, for: account, secure: self.secureCookies))
        }
        let ticket = AccountCredentials.newToken()
        try await self.keepOnce(LoginStart(account: account.description, loginUrl: login.url, nonce: login.nonce), as: "login-start:\(ticket)")
        let start = "\(self.publicURL)/oauth/start?ticket=\(ticket)"
        return (start, start, nil)
    }

    /// Keeps `value` as JSON under `key`, single-use, for the sign-in's lifetime.
    private func keepOnce(_ value: some Encodable, as key: String) async throws {
        let text = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
        guard try await self.dependencies.backplane.putSingleUse(key, value: text, ttl: Self.stateLifetime) else {
            throw HTTPError(.internalServerError, message: "could not start the sign-in")
        }
    }

    /// The callback URL to use: the given one, read strictly and rebuilt, when it is on an allowed origin; else the
    /// data page.
    private func checkedCallback(_ text: String?) throws -> String {
        guard let text else { return "\(self.publicURL)/data.html" }
        guard let url = CheckedURL(text) else {
            throw HTTPError(
                .badRequest,
                message: "callbackUrl must be a plain http(s) URL of at most \(CheckedURL.maximumLength) characters: no user information, "
                    + "backslashes, spaces or control characters"
            )
        }
        guard self.allowedOrigins.contains(url.origin) else {
            throw HTTPError(.badRequest, message: "callbackUrl must be on an allowed origin (\(self.allowedOrigins.joined(separator: ", ")))")
        }
        return url.text
    }

    private static func redirect(_ target: String, _ items: [(String, String)], cookie: String) -> Response {
        let query = FormURLEncoding.encode(items)
        return Response(status: .found, headers: [.location: target + (target.contains("?") ? "&" : "?") + query, .setCookie: cookie])
    }

    private static func page(_ status: HTTPResponse.Status, _ title: String, _ message: String) -> Response {
        let html = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>\(title)</title></head>
            <body><h1>\(title)</h1><p id="reason">\(message)</p><p><a href="/">Back to Mailpulse</a></p></body></html>
            """
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

extension HTTPField.Name {
    /// `X-Admin-Key`, the other way to present ``MailpulseConfiguration/adminAPIKey``.
    static let adminKey = Self("X-Admin-Key")!
}
