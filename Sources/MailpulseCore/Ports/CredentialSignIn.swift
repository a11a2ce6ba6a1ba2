/// Signing in with a user name and password the person gives Mailpulse (IMAP servers, Gmail with an app password),
/// where ``RedirectSignIn`` sends the browser to the provider.
public protocol CredentialSignIn: Sendable {
    /// Signs in for real with `credentials`; answers what to seal in the ``TokenVault`` (the credentials themselves:
    /// they never expire and are never refreshed) and who signed in. Throws ``SignInFailure``.
    func signIn(_ credentials: ServerCredentials, kind: MailProviderKind) async throws -> (tokens: OAuthTokens, identity: AccountIdentity)
    /// The credentials sealed in `tokens` by ``signIn(_:kind:)``; `nil` for tokens of another kind.
    func credentials(in tokens: OAuthTokens) -> ServerCredentials?
}
