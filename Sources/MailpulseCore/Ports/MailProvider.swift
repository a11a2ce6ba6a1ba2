public import Foundation

/// A mail provider (Outlook through Graph today; IMAP providers later): sign-in and tokens, then mail.
public protocol MailProvider: Sendable {
    /// Which provider this is.
    var kind: MailProviderKind { get }
    /// Starts a sign-in bound to `state`: the URL to send the browser to and the secret to keep until the callback.
    func beginLogin(state: String) -> LoginRequest
    /// Finishes a sign-in: redeems the code with the kept secret.
    func redeemLogin(code: String, verifier: String) async throws -> OAuthTokens
    /// Who signed in: the mailbox's owner, read with the new tokens.
    func identity(of account: AccountID, accessToken: String) async throws -> AccountIdentity
    /// Obtains new tokens with the refresh token; throws ``MailProviderError/reauthRequired(_:)`` when the grant is dead.
    func refreshTokens(_ tokens: OAuthTokens) async throws -> OAuthTokens

    /// Every folder of the mailbox, the inbox marked with its well-known name.
    func mailboxes(of account: AccountID, accessToken: String) async throws -> [Mailbox]
    /// One page of a folder's changes: from the start when `link` is nil, else from a checkpoint or cursor.
    func messageChanges(of account: AccountID, mailbox: String, link: String?, accessToken: String) async throws -> MessageChanges
    /// One message as it is now, or `nil` when it no longer exists.
    func message(_ id: String, of account: AccountID, accessToken: String) async throws -> Message?
    /// Subscribes to changes of every message of the account's mailbox; the provider checks the URLs before it
    /// answers. The answer holds the expiry the provider granted.
    func subscribe(_ account: AccountID, request: SubscriptionRequest, accessToken: String) async throws -> AccountSubscription
    /// Renews a subscription; throws ``MailProviderError/notFound`` when the provider no longer has it.
    func renewSubscription(_ id: String, of account: AccountID, until expiration: Date, accessToken: String) async throws -> AccountSubscription
    /// Reauthorizes a subscription the provider asked about; throws ``MailProviderError/notFound`` when it is gone.
    func reauthorizeSubscription(_ id: String, of account: AccountID, accessToken: String) async throws
    /// Deletes a subscription; one already gone is not an error.
    func deleteSubscription(_ id: String, of account: AccountID, accessToken: String) async throws
}

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
