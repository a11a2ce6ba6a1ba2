internal import Foundation
internal import HTTPTransport
internal import Hummingbird
internal import MailpulseCore
internal import Secrets

/// API tokens of local accounts: made random, stored as SHA-256, checked in constant time, carried as a bearer
/// token or in the account's HttpOnly session cookie.
enum AccountCredentials {
    /// A new random token (256 bits, base64url).
    static func newToken() -> String {
        Base64URL.randomToken(bytes: 32)
    }

    static func hash(_ token: String) -> Data {
        SecretDigest.sha256(token)
    }

    /// The session cookie of an account: one per account, so one browser can hold several.
    static func cookie(for account: AccountID, secure: Bool) -> HostCookie {
        HostCookie(name: "mailpulse_\(account.compactText)", secure: secure)
    }

    /// The `Set-Cookie` that keeps an account's token in the browser for a year.
    static func cookie(_ token: String, for account: AccountID, secure: Bool) -> String {
        Self.cookie(for: account, secure: secure).setting(token, maxAge: 365 * 86_400)
    }

    /// The token of an `Authorization: Bearer …` header, if the request has one.
    static func bearerToken(in request: Request) -> String? {
        guard let authorization = request.headers[.authorization], authorization.lowercased().hasPrefix("bearer ") else { return nil }
        return String(authorization.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
    }

    /// The account named by the route's `:id` that a request may act for; see ``authenticate(_:account:store:)``.
    static func authenticate(_ request: Request, context: AppRequestContext, store: any MailStore) async throws -> Account {
        guard let id = context.parameters.get("id").flatMap(AccountID.init) else {
            throw HTTPError(.notFound, message: "no such account")
        }
        return try await Self.authenticate(request, account: id, store: store)
    }

    /// The account a request may act for: 401 without credentials; 404 when the account is missing or the
    /// credentials are not its own, so another account's id looks exactly like a missing one.
    static func authenticate(_ request: Request, account id: AccountID, store: any MailStore) async throws -> Account {
        let cookie = request.cookies[Self.cookie(for: id, secure: true).fullName] ?? request.cookies[Self.cookie(for: id, secure: false).fullName]
        guard let presented = Self.bearerToken(in: request) ?? cookie?.value, !presented.isEmpty else {
            throw HTTPError(.unauthorized, message: "this route needs the account's token (Authorization: Bearer) or its session cookie")
        }
        let notFound = HTTPError(.notFound, message: "no such account")
        guard let expected = try await store.apiTokenHash(for: id), SecretDigest.constantTimeEqual(expected, Self.hash(presented)),
            let account = try await store.account(id)
        else { throw notFound }
        return account
    }
}
