internal import Foundation
internal import Hummingbird
internal import MailpulseCore
internal import MicrosoftGraph
internal import Secrets

/// Binds a sign-in to the browser that started it: a random nonce in an HttpOnly cookie of that browser, its digest
/// kept with the OAuth `state`. The callback links only when the browser presents the nonce, so a login URL sent to
/// somebody else cannot link their mailbox to the sender's account (login CSRF).
enum LoginBinding {
    /// A new nonce (256 bits, base64url).
    static func newNonce() -> String {
        Base64URL.randomToken(bytes: 32)
    }

    /// What the state keeps of the nonce.
    static func digest(_ nonce: String) -> String {
        SecretDigest.sha256(nonce).base64EncodedString()
    }

    /// One cookie per account, so two sign-ins started in one browser do not overwrite each other.
    static func cookieName(_ account: AccountID, secure: Bool) -> String {
        (secure ? "__Host-" : "") + "mailpulse_login_\(account.compactText)"
    }

    static func cookie(_ nonce: String, for account: AccountID, secure: Bool) -> String {
        let lifetime = AccountController.stateLifetime.components.seconds
        return "\(Self.cookieName(account, secure: secure))=\(nonce); Path=/; HttpOnly; SameSite=Lax; Max-Age=\(lifetime)\(secure ? "; Secure" : "")"
    }

    /// Clears the cookie once its sign-in is over.
    static func expiredCookie(for account: AccountID, secure: Bool) -> String {
        "\(Self.cookieName(account, secure: secure))=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0\(secure ? "; Secure" : "")"
    }

    /// Whether the request carries the nonce whose digest is `expected`, compared in constant time.
    static func isPresented(in request: Request, for account: AccountID, secure: Bool, expected: String) -> Bool {
        guard let nonce = request.cookies[Self.cookieName(account, secure: secure)]?.value, !nonce.isEmpty,
            let expectedDigest = Data(base64Encoded: expected)
        else { return false }
        return SecretDigest.constantTimeEqual(expectedDigest, SecretDigest.sha256(nonce))
    }
}
