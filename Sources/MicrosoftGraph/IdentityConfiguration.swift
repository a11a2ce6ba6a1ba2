public import Foundation

/// The app registration and endpoints of the Microsoft identity platform.
public struct IdentityConfiguration: Sendable {
    /// The application (client) id.
    public var clientID: String
    /// The client secret of a confidential ("Web") registration; `nil` for a public client, which must send none.
    public var clientSecret: String?
    /// `common`, `consumers`, `organizations` or a tenant id.
    public var tenant: String
    /// The identity platform's base, `https://login.microsoftonline.com` in production.
    public var baseURL: URL
    /// The redirect URI registered for the app.
    public var redirectURI: String
    /// The scopes asked for.
    public var scopes: [String]

    /// Creates a configuration.
    public init(
        clientID: String,
        clientSecret: String? = nil,
        tenant: String = "common",
        baseURL: URL,
        redirectURI: String,
        scopes: [String] = ["offline_access", "User.Read", "Mail.Read", "Mail.Send"]
    ) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.tenant = tenant
        self.baseURL = baseURL
        self.redirectURI = redirectURI
        self.scopes = scopes
    }
}
