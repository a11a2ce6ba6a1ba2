internal import Crypto
internal import Foundation

/// RFC 7636 code challenges.
enum PKCE {
    /// `BASE64URL(SHA256(verifier))` without padding.
    static func s256(_ verifier: String) -> String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
