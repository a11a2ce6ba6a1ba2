internal import Foundation
public import MailpulseCore
public import MicrosoftGraph

/// ``MailProvider`` for Outlook and Microsoft 365 on Microsoft Graph.
public struct OutlookProvider: MailProvider {
    private let identity: IdentityClient
    let graph: GraphClient
    /// Messages per delta page (`Prefer: odata.maxpagesize`).
    let pageSize: Int

    /// Creates the provider.
    public init(identity: IdentityClient, graph: GraphClient, pageSize: Int = 250) {
        self.identity = identity
        self.graph = graph
        self.pageSize = pageSize
    }

    public func beginLogin(for account: AccountID, state: String) -> LoginRequest {
        let pkce = PKCEPair.random()
        return LoginRequest(url: self.identity.authorizeURL(state: state, pkce: pkce).absoluteString, verifier: pkce.verifier)
    }

    public func redeemLogin(code: String, verifier: String, for account: AccountID) async throws -> OAuthTokens {
        do {
            return Self.tokens(try await self.identity.redeem(code: code, verifier: verifier), previousRefreshToken: nil)
        } catch let error as IdentityError {
            throw MailProviderError.failed(error.description)
        }
    }

    public func identity(of account: AccountID, accessToken: String) async throws -> AccountIdentity {
        try await Self.mapped {
            let user = try await self.graph.me(accessToken: accessToken)
            return AccountIdentity(providerUserID: user.id, displayName: user.displayName ?? user.address, address: user.address)
        }
    }

    public func refreshTokens(_ tokens: OAuthTokens, of account: AccountID) async throws -> OAuthTokens {
        guard let refreshToken = tokens.refreshToken else {
            throw MailProviderError.reauthRequired("no refresh token was granted")
        }
        do {
            return Self.tokens(try await self.identity.refresh(refreshToken: refreshToken), previousRefreshToken: refreshToken)
        } catch let error as IdentityError where error.isInvalidGrant {
            throw MailProviderError.reauthRequired(error.description)
        } catch let error as IdentityError {
            throw MailProviderError.failed(error.description)
        }
    }

    private static func tokens(_ answer: TokenResponse, previousRefreshToken: String?) -> OAuthTokens {
        OAuthTokens(
            accessToken: answer.accessToken,
            refreshToken: answer.refreshToken ?? previousRefreshToken,
            // Access tokens live about an hour; a lifetime outside 0 s–1 day is the provider's mistake, not a reason to
            // keep a token for ever (or to overflow a timestamp later).
            expiresAt: Date().addingTimeInterval(Double(min(max(answer.expiresIn, 0), 86_400))),
            scope: answer.scope
        )
    }
}
