/// Signing in by sending the browser to the provider (OAuth authorization code with PKCE), and keeping the tokens
/// fresh. Every call names the account, so a node serving several providers can route it.
public protocol RedirectSignIn: Sendable {
    /// Starts a sign-in of `account` bound to `state`: the URL to send the browser to and the secret to keep until
    /// the callback.
    func beginLogin(for account: AccountID, state: String) async throws -> LoginRequest
    /// Finishes a sign-in of `account`: redeems the code with the kept secret.
    func redeemLogin(code: String, verifier: String, for account: AccountID) async throws -> OAuthTokens
    /// Who signed in: the mailbox's owner, read with the new tokens.
    func identity(of account: AccountID, accessToken: String) async throws -> AccountIdentity
    /// Obtains new tokens of `account` with the refresh token; throws ``MailProviderError/reauthRequired(_:)`` when
    /// the grant is dead.
    func refreshTokens(_ tokens: OAuthTokens, of account: AccountID) async throws -> OAuthTokens
}
