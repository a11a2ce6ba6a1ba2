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

    public var kind: MailProviderKind { .outlook }

    public func beginLogin(state: String) -> LoginRequest {
        let pkce = PKCEPair.random()
        return LoginRequest(url: self.identity.authorizeURL(state: state, pkce: pkce).absoluteString, verifier: pkce.verifier)
    }

    public func completeLogin(code: String, verifier: String) async throws -> (OAuthTokens, AccountIdentity) {
        let answer: TokenResponse
        do {
            answer = try await self.identity.redeem(code: code, verifier: verifier)
        } catch let error as IdentityError {
            throw MailProviderError.failed(error.description)
        }
        let tokens = Self.tokens(answer, previousRefreshToken: nil)
        // The code is spent: a throttled or failed read of /me is retried rather than failing the whole sign-in.
        let retry = RetryPolicy(attempts: 4)
        var attempt = 0
        let user: GraphUser
        while true {
            attempt += 1
            do {
                user = try await self.graph.me(accessToken: tokens.accessToken)
                break
            } catch let error as GraphError where attempt < retry.attempts && (error.status == 0 || error.status == 429 || error.status >= 500) {
                let wait = error.status == 429 ? Duration.milliseconds(Int64((error.retryAfter ?? 1) * 1000)) : retry.delay(after: attempt)
                try await Task.sleep(for: wait)
            } catch let error as GraphError {
                throw MailProviderError.failed(error.description)
            }
        }
        return (tokens, AccountIdentity(providerUserID: user.id, displayName: user.displayName ?? user.address, address: user.address))
    }

    public func refreshTokens(_ tokens: OAuthTokens) async throws -> OAuthTokens {
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
            expiresAt: Date().addingTimeInterval(Double(answer.expiresIn)),
            scope: answer.scope
        )
    }
}
