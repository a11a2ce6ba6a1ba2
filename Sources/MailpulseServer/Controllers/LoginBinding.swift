internal import Foundation
internal import Hummingbird
internal import MailpulseCore
internal import Secrets

/// Binds a sign-in to the browser that started it: a random nonce in an HttpOnly cookie of that browser, its digest
/// kept with the OAuth `state`. The callback links only when the browser presents the nonce, so a login URL sent to
/// somebody else cannot link their mailbox to the sender's account (login CSRF).
enum LoginBinding {
    /// What the state keeps of the nonce (a nonce is an ``AccountCredentials/newToken()``).
    static func digest(_ nonce: String) -> String {
        SecretDigest.sha256(nonce).base64EncodedString()
    }

    /// One cookie per account, so two sign-ins started in one browser do not overwrite each other.
    static func cookie(for account: AccountID, secure: Bool) -> HostCookie {
        HostCookie(name: "mailpulse_login_\(account.compactText)", secure: secure)
    }

    /// The `Set-Cookie` that binds the sign-in to the browser, for as long as the sign-in may take.
    static func cookie(_ nonce: String, for account: AccountID, secure: Bool) -> String {
        Self.cookie(for: account, secure: secure).setting(nonce, maxAge: AccountController.stateLifetime.components.seconds)
    }

    /// Clears the cookie once its sign-in is over.
    static func expiredCookie(for account: AccountID, secure: Bool) -> String {
        Self.cookie(for: account, secure: secure).setting("", maxAge: 0)
    }

    /// Whether the request carries the nonce whose digest is `expected`, compared in constant time.
    static func isPresented(in request: Request, for account: AccountID, secure: Bool, expected: String) -> Bool {
        guard let nonce = request.cookies[Self.cookie(for: account, secure: secure).fullName]?.value, !nonce.isEmpty,
            let expectedDigest = Data(base64Encoded: expected)
        else { return false }
        return SecretDigest.constantTimeEqual(expectedDigest, SecretDigest.sha256(nonce))
    }
}
