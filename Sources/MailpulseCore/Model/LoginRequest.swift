/// Where to send the browser to sign in, and the PKCE verifier that redeems the answer.
public struct LoginRequest: Sendable, Equatable {
    /// The provider's authorize URL.
    public var url: String
    /// The PKCE verifier, kept server-side until the callback.
    public var verifier: String

    /// Creates a login request.
    public init(url: String, verifier: String) {
        self.url = url
        self.verifier = verifier
    }
}
