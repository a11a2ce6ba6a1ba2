internal import Foundation
internal import HTTPTransport
internal import Hummingbird
internal import Logging
internal import MailpulseCore

/// Local accounts and the link to the provider: create, read, delete, relink, and the OAuth callback.
struct AccountController: Sendable {
    static let stateLifetime = Duration.seconds(600)

    let dependencies: MailpulseDependencies
    let publicURL: String
    let allowedOrigins: [String]

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.post("api/accounts", use: self.create)
        routes.get("api/accounts/:id", use: self.read)
        routes.delete("api/accounts/:id", use: self.delete)
        routes.post("api/accounts/:id/relink", use: self.relink)
        routes.get("oauth/callback", use: self.callback)
        return routes
    }

    // MARK: API

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input: CreateAccountRequest
        do {
            input = try await request.decode(as: CreateAccountRequest.self, context: context)
        } catch {
            throw HTTPError(.badRequest, message: "the body must be JSON: {\"provider\":\"outlook\",\"callbackUrl\":\"https://…\"}")
        }
        guard input.provider == self.dependencies.provider.kind.rawValue else {
            throw HTTPError(.badRequest, message: "provider must be \"outlook\"")
        }
        let callback = try self.checkedCallback(input.callbackUrl)
        let now = Date()
        let account = Account(id: .random(), provider: .outlook, status: .pending, createdAt: now, updatedAt: now)
        let token = AccountCredentials.newToken()
        try await self.dependencies.store.createAccount(account)
        try await self.dependencies.store.saveAPITokenHash(AccountCredentials.hash(token), for: account.id)
        let loginURL = try await self.startLogin(account.id, callback: callback)
        context.logger.info("Account created", metadata: ["account.id": "\(account.id)"])
        var response = try CreatedAccount(id: account.id.description, loginUrl: loginURL, token: token).response(from: request, context: context)
        response.status = .created
        response.headers[.setCookie] = AccountCredentials.cookie(token, for: account.id, secure: self.publicURL.hasPrefix("https"))
        return response
    }

    @Sendable func read(_ request: Request, context: AppRequestContext) async throws -> AccountDTO {
        AccountDTO(try await self.authenticated(request, context))
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let account = try await self.authenticated(request, context)
        do {
            try await self.dependencies.subscriptions.unsubscribe(account.id)
        } catch {
            // An unrenewed subscription ends by itself; the account is deleted regardless.
            context.logger.warning("Subscription not removed", metadata: ["account.id": "\(account.id)", "error.type": "\(error)"])
        }
        try await self.dependencies.tokenVault.remove(for: account.id)
        try await self.dependencies.store.deleteAccount(account.id)
        context.logger.info("Account deleted", metadata: ["account.id": "\(account.id)"])
        return .noContent
    }

    @Sendable func relink(_ request: Request, context: AppRequestContext) async throws -> LoginLink {
        let account = try await self.authenticated(request, context)
        var callback = "\(self.publicURL)/data.html"
        let body = try await request.body.collect(upTo: 64 * 1024)
        if body.readableBytes > 0 {
            guard let input = try? JSONDecoder().decode(RelinkRequest.self, from: Data(body.readableBytesView)) else {
                throw HTTPError(.badRequest, message: "the body, when given, must be JSON: {\"callbackUrl\":\"https://…\"}")
            }
            callback = try self.checkedCallback(input.callbackUrl)
        }
        return LoginLink(loginUrl: try await self.startLogin(account.id, callback: callback))
    }

    // MARK: OAuth callback

    @Sendable func callback(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        guard let state = query["state"].map(String.init), !state.isEmpty else {
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
            var account = try await self.dependencies.store.account(id)
        else {
            return Self.page(.badRequest, "Sign-in failed", "The account this sign-in was for no longer exists.")
        }
        if let error = query["error"].map(String.init) {
            context.logger.info("Sign-in refused", metadata: ["account.id": "\(id)", "oauth.error": "\(error)"])
            return Self.redirect(pending.callbackUrl, [("account", id.description), ("status", "error"), ("error", error)])
        }
        guard let code = query["code"].map(String.init), !code.isEmpty else {
            return Self.redirect(pending.callbackUrl, [("account", id.description), ("status", "error"), ("error", "invalid_request")])
        }
        let tokens: OAuthTokens
        let identity: AccountIdentity
        do {
            tokens = try await self.dependencies.provider.redeemLogin(code: code, verifier: pending.verifier)
            // Through the mailbox's rate limits, so a throttled or failed read of /me is retried: the code is spent.
            identity = try await self.dependencies.provider.identity(of: id, accessToken: tokens.accessToken)
        } catch {
            context.logger.warning("Sign-in failed", metadata: ["account.id": "\(id)", "error.type": "\(error)"])
            return Self.redirect(pending.callbackUrl, [("account", id.description), ("status", "error"), ("error", "login_failed")])
        }
        try await self.dependencies.tokenVault.store(tokens, for: id)
        account.identity = identity
        account.status = .linked
        account.updatedAt = Date()
        try await self.dependencies.store.updateAccount(account)
        context.logger.info("Account linked", metadata: ["account.id": "\(id)"])
        await self.dependencies.linkObserver.accountLinked(id)
        return Self.redirect(pending.callbackUrl, [("account", id.description), ("status", "linked")])
    }

    // MARK: Helpers

    private func authenticated(_ request: Request, _ context: AppRequestContext) async throws -> Account {
        try await AccountCredentials.authenticate(request, context: context, store: self.dependencies.store)
    }

    private func startLogin(_ account: AccountID, callback: String) async throws -> String {
        let state = AccountCredentials.newToken()
        let login = self.dependencies.provider.beginLogin(state: state)
        let pending = String(
            decoding: try JSONEncoder().encode(PendingLogin(account: account.description, verifier: login.verifier, callbackUrl: callback)),
            as: UTF8.self
        )
        guard try await self.dependencies.backplane.putSingleUse("oauth-state:\(state)", value: pending, ttl: Self.stateLifetime) else {
            throw HTTPError(.internalServerError, message: "could not start the sign-in")
        }
        return login.url
    }

    /// The callback URL to use: the given one when it is http(s) on an allowed origin, else the data page.
    private func checkedCallback(_ text: String?) throws -> String {
        guard let text else { return "\(self.publicURL)/data.html" }
        guard text.count <= 2048, let origin = CallbackOrigin(text) else {
            throw HTTPError(.badRequest, message: "callbackUrl must be an http(s) URL")
        }
        let allowed = self.allowedOrigins.isEmpty ? [CallbackOrigin(self.publicURL)?.text].compactMap { $0 } : self.allowedOrigins
        guard allowed.contains(origin.text) else {
            throw HTTPError(.badRequest, message: "callbackUrl must be on an allowed origin (\(allowed.joined(separator: ", ")))")
        }
        return text
    }

    private static func redirect(_ target: String, _ items: [(String, String)]) -> Response {
        let query = FormURLEncoding.encode(items)
        return Response(status: .found, headers: [.location: target + (target.contains("?") ? "&" : "?") + query])
    }

    private static func page(_ status: HTTPResponse.Status, _ title: String, _ message: String) -> Response {
        let html = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>\(title)</title></head>
            <body><h1>\(title)</h1><p id="reason">\(message)</p><p><a href="/">Back to Mailpulse</a></p></body></html>
            """
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
