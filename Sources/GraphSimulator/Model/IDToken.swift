internal import Foundation
internal import HTTPTransport
internal import MicrosoftGraph

/// The id_token of the v2.0 token endpoint, issued beside the access token when `openid` is granted: a JWT whose claims
/// tell the app who signed in.
struct IDToken: Sendable {
    var clientID: String
    var tenantID: String
    /// The user's object id, which Graph gives as `/me`'s `id`.
    var userID: String
    var address: String
    var displayName: String
    var scopes: [String]
    var nonce: String?
    var issuedAt: Date

    /// Entra's id_tokens live an hour.
    private static let lifetime = 3600

    /// The compact JWT: header, claims and signature, each in base64url.
    var text: String {
        let header = JSONValue.object([("typ", .string("JWT")), ("alg", .string("RS256")), ("kid", .string("graph-sim"))])
        // Not a signature: the simulator's clients do not verify id_tokens, so a fixed value of an RS256 signature's length
        // (256 zero bytes) stands in for one. A client that does verify must reject it, as it would a forged token.
        let signature = String(repeating: "A", count: 342)
        return [Base64URL.encode(header.data), Base64URL.encode(self.claims.data), signature].joined(separator: ".")
    }

    /// The v2.0 claims: those every id_token carries, and `email` only with the `email` scope. Entra's claims
    /// reference ties `name`, `preferred_username` and `oid` to the `profile` scope, but the simulator's contract
    /// (issue 17) is that an `openid` sign-in says who signed in, so they come with `openid` alone.
    private var claims: JSONValue {
        let issued = Int(self.issuedAt.timeIntervalSince1970)
        let granted = Set(self.scopes.map { $0.lowercased() })
        var members: [(String, JSONValue)] = [
            ("aud", .string(self.clientID)),
            ("iss", .string("https://login.microsoftonline.com/\(self.tenantID)/v2.0")),
            ("iat", .number(Double(issued))),
            ("nbf", .number(Double(issued))),
            ("exp", .number(Double(issued + Self.lifetime))),
        ]
        members += [("name", .string(self.displayName)), ("oid", .string(self.userID)), ("preferred_username", .string(self.address))]
        if granted.contains("email") {
            members.append(("email", .string(self.address)))
        }
        if let nonce = self.nonce {
            members.append(("nonce", .string(nonce)))
        }
        // Pairwise, as Entra's: one user gets one subject per app. BASE64URL(SHA-256(…)) is what a PKCE S256 challenge
        // is, and it has the 43-character shape of Entra's subjects.
        let subject = PKCEPair(verifier: "\(self.userID) \(self.clientID)").challenge
        members += [("sub", .string(subject)), ("tid", .string(self.tenantID)), ("ver", .string("2.0"))]
        return .object(members)
    }
}
