/// A successful answer of the token endpoint.
public struct TokenResponse: Sendable, Decodable, Equatable {
    /// Always `Bearer`.
    public var tokenType: String
    /// The granted scopes, space-separated (short or fully qualified names).
    public var scope: String
    /// Seconds until the access token expires.
    public var expiresIn: Int
    /// The opaque access token; never decode it.
    public var accessToken: String
    /// The next refresh token, when `offline_access` was granted.
    public var refreshToken: String?

    enum CodingKeys: String, CodingKey {
        case tokenType = "token_type"
        case scope
        case expiresIn = "expires_in"
        case accessToken = "access_token"
        case refreshToken = "refresh_token"
    }
}
