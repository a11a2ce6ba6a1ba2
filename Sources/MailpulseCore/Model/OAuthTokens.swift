public import Foundation

/// The provider tokens of an account. Never logged, never stored in the clear: see ``TokenVault``.
public struct OAuthTokens: Sendable, Equatable, Codable {
    /// The bearer token for the provider's API.
    public var accessToken: String
    /// The token that obtains the next access token; rotates on use.
    public var refreshToken: String?
    /// When the access token expires.
    public var expiresAt: Date
    /// The scopes granted.
    public var scope: String

    /// Creates tokens.
    public init(accessToken: String, refreshToken: String?, expiresAt: Date, scope: String) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.expiresAt = expiresAt
        self.scope = scope
    }
}

extension OAuthTokens: CustomStringConvertible, CustomDebugStringConvertible {
    /// A redacted description, so tokens never reach a log by accident.
    public var description: String {
        "OAuthTokens(expiresAt: \(self.expiresAt), scope: \(self.scope), redacted)"
    }

    public var debugDescription: String {
        self.description
    }
}
