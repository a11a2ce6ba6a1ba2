/// Keeps the provider tokens of accounts, encrypted at rest.
public protocol TokenVault: Sendable {
    /// Seals and stores the tokens of an account, replacing any earlier ones.
    func store(_ tokens: OAuthTokens, for account: AccountID) async throws
    /// The tokens of an account, or `nil` when it has none.
    func tokens(for account: AccountID) async throws -> OAuthTokens?
    /// Forgets the tokens of an account.
    func remove(for account: AccountID) async throws
}
