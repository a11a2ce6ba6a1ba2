internal import Foundation

/// The SASL mechanisms that sign in with an OAuth 2.0 access token.
public enum IMAPOAuthMechanism: String, Sendable, Codable, CaseIterable {
    /// Google's and Microsoft's `XOAUTH2`.
    case xoauth2 = "XOAUTH2"
    /// The standard `OAUTHBEARER` (RFC 7628).
    case oauthBearer = "OAUTHBEARER"

    /// The client's first message, base64-encoded: for XOAUTH2 `user=…^Aauth=Bearer …^A^A`, for OAUTHBEARER the GS2
    /// header naming the user, then host, port and token (`n,a=…,^Ahost=…^Aport=…^Aauth=Bearer …^A^A`).
    func initialResponse(user: String, accessToken: String, host: String, port: Int) throws -> String {
        for (name, value) in [("user name", user), ("access token", accessToken), ("host", host)]
        where value.utf8.contains(where: { $0 == 0x01 || $0 == 0x0D || $0 == 0x0A || $0 == 0 }) {
            throw IMAPError.invalidArgument("the \(name) holds a control character that would end a field")
        }
        let message: String
        switch self {
        case .xoauth2:
            message = "user=\(user)\u{1}auth=Bearer \(accessToken)\u{1}\u{1}"
        case .oauthBearer:
            // RFC 5801's saslname: `=` and `,` would end the field, so they go as =3D and =2C.
            let name = user.replacingOccurrences(of: "=", with: "=3D").replacingOccurrences(of: ",", with: "=2C")
            message = "n,a=\(name),\u{1}host=\(host)\u{1}port=\(port)\u{1}auth=Bearer \(accessToken)\u{1}\u{1}"
        }
        return Data(message.utf8).base64EncodedString()
    }

    /// What the client answers to the server's error challenge so that the server can end the exchange with NO: an
    /// empty response for XOAUTH2 (Google's and Microsoft's documentation), a single ^A for OAUTHBEARER (RFC 7628
    /// §3.2.3), base64-encoded.
    var failureAcknowledgement: String {
        switch self {
        case .xoauth2: ""
        case .oauthBearer: Data([0x01]).base64EncodedString()
        }
    }
}
