internal import Crypto
public import Foundation
internal import HTTPTransport

/// An RFC 7636 verifier and its S256 challenge.
public struct PKCEPair: Sendable, Equatable {
    /// The secret the client keeps until it redeems the code.
    public let verifier: String
    /// `BASE64URL(SHA256(verifier))`, sent with the authorize request.
    public let challenge: String

    /// A new random pair (a 64-character verifier from 48 random bytes).
    public static func random() -> PKCEPair {
        PKCEPair(verifier: Base64URL.randomToken(bytes: 48))
    }

    /// The pair of a given verifier.
    public init(verifier: String) {
        self.verifier = verifier
        self.challenge = Base64URL.encode(Data(SHA256.hash(data: Data(verifier.utf8))))
    }
}
