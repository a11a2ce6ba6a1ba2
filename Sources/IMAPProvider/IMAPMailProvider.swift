public import Foundation
internal import IMAP
public import MailpulseCore

/// Any IMAP server (Gmail included) as a Mailpulse provider: reads folders and messages over IMAP, signs in with the
/// password a person gives (sealed in the vault like OAuth tokens: the "access token" this adapter is handed is those
/// credentials), and pushes changes over a watched connection (NOTIFY, else IDLE). It has no redirect sign-in and
/// no webhooks: those calls fail with a message that says so.
public final class IMAPMailProvider: MailProvider, CredentialSignIn, ConnectionPush {
    let configuration: IMAPProviderConfiguration
    let pool: IMAPSessionPool

    /// A provider connecting as `configuration` says.
    public init(configuration: IMAPProviderConfiguration = IMAPProviderConfiguration()) {
        self.configuration = configuration
        self.pool = IMAPSessionPool(configuration: configuration)
    }

    /// The sealed form of `credentials`: what the vault keeps, and what the engine hands back as the access token.
    static func tokens(of credentials: ServerCredentials) throws -> OAuthTokens {
        let text = String(decoding: try JSONEncoder().encode(credentials), as: UTF8.self)
        return OAuthTokens(accessToken: text, refreshToken: nil, expiresAt: .distantFuture, scope: "imap")
    }

    /// The credentials in an access token this adapter made.
    static func credentials(_ accessToken: String) throws -> ServerCredentials {
        guard let credentials = try? JSONDecoder().decode(ServerCredentials.self, from: Data(accessToken.utf8)) else {
            throw MailProviderError.reauthRequired("the account holds no IMAP credentials: link it again")
        }
        return credentials
    }

    /// Runs `body` on a session of the account, IMAP's failures told in the engine's terms.
    func withSession<T: Sendable>(
        _ account: AccountID,
        accessToken: String,
        _ body: @Sendable (IMAPSession) async throws -> T
    ) async throws -> T {
        let credentials = try Self.credentials(accessToken)
        do {
            return try await self.pool.withSession(account, credentials, body)
        } catch let error as IMAPError {
            throw Self.providerError(error)
        }
    }

    /// An IMAP failure as the engine acts on it: a refused sign-in is a refused credential (the engine asks for a
    /// refresh, which this adapter answers with `reauthRequired`), a lost connection may pass.
    static func providerError(_ error: IMAPError) -> MailProviderError {
        switch error {
        case .unreachable, .closed, .timedOut: .unavailable(error.description)
        case .refused(let status):
            switch status.code {
            case .other("AUTHENTICATIONFAILED", _)?, .other("AUTHORIZATIONFAILED", _)?, .other("EXPIRED", _)?:
                .unauthorized(error.description)
            case .other("NONEXISTENT", _)?: .notFound
            case .other("UNAVAILABLE", _)?, .other("INUSE", _)?, .other("LIMIT", _)?: .unavailable(error.description)
            default: .failed(error.description)
            }
        case .malformed, .invalidArgument: .failed(error.description)
        // A certificate that stops being trusted is no passing failure: the person must look at the server.
        case .tlsFailed: .failed(error.description)
        case .messageNotFound: .notFound
        case .tooLarge: .failed(error.description)
        }
    }

    // MARK: RedirectSignIn

    public func beginLogin(for account: AccountID, state: String) async throws -> LoginRequest {
        throw MailProviderError.failed("IMAP accounts sign in with a password, not through a provider's page")
    }

    public func redeemLogin(code: String, verifier: String, for account: AccountID) async throws -> OAuthTokens {
        throw MailProviderError.failed("IMAP accounts sign in with a password, not through a provider's page")
    }

    public func identity(of account: AccountID, accessToken: String) async throws -> AccountIdentity {
        Self.identity(try Self.credentials(accessToken))
    }

    /// A password does not expire on a clock: it is refused when it was changed, and then only the person can help.
    public func refreshTokens(_ tokens: OAuthTokens, of account: AccountID) async throws -> OAuthTokens {
        throw MailProviderError.reauthRequired("the IMAP server refused the password: link the account again with the current one")
    }

    /// Who signed in: the user at the server (an address when the user name is not one).
    static func identity(_ credentials: ServerCredentials) -> AccountIdentity {
        let user = credentials.username
        return AccountIdentity(
            providerUserID: "\(user.lowercased())@\(credentials.host.lowercased()):\(credentials.port)",
            displayName: user,
            address: user.contains("@") ? user : "\(user)@\(credentials.host)"
        )
    }

    // MARK: WebhookPush

    public func subscribe(_ account: AccountID, request: SubscriptionRequest, accessToken: String) async throws -> AccountSubscription {
        throw MailProviderError.failed("IMAP pushes changes over a watched connection, not webhooks")
    }

    public func renewSubscription(
        _ id: String,
        of account: AccountID,
        until expiration: Date,
        accessToken: String
    ) async throws
        -> AccountSubscription
    {
        throw MailProviderError.notFound
    }

    public func reauthorizeSubscription(_ id: String, of account: AccountID, accessToken: String) async throws {
        throw MailProviderError.notFound
    }

    public func deleteSubscription(_ id: String, of account: AccountID, accessToken: String) async throws {}
}
