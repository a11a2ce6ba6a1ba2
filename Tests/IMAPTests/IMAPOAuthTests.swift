import Foundation
import Testing

@testable import IMAP

/// The first messages of XOAUTH2 and OAUTHBEARER as the providers' documentation and RFC 7628 spell them.
struct IMAPOAuthTests {
    static func decoded(_ base64: String) -> String? {
        Data(base64Encoded: base64).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func xoauth2NamesTheUserAndTheBearerToken() throws {
        let response = try IMAPOAuthMechanism.xoauth2.initialResponse(
            user: "someuser@example.com",
            accessToken: "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg",
            host: "imap.gmail.com",
            port: 993
        )
        // base64 of `user=someuser@example.com^Aauth=Bearer ya29.…^A^A`, the form Google documents.
        #expect(
            response
                == "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ=="
        )
    }

    @Test func oauthBearerStartsWithTheGS2HeaderAndNamesHostAndPort() throws {
        let response = try IMAPOAuthMechanism.oauthBearer.initialResponse(
            user: "user@example.com",
            accessToken: "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==",
            host: "server.example.com",
            port: 993
        )
        // RFC 7628 §4.1's example.
        #expect(
            Self.decoded(response)
                == "n,a=user@example.com,\u{1}host=server.example.com\u{1}port=993\u{1}auth=Bearer vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==\u{1}\u{1}"
        )
        let escaped = try IMAPOAuthMechanism.oauthBearer.initialResponse(user: "a,b=c", accessToken: "t", host: "h", port: 1)
        #expect(Self.decoded(escaped)?.hasPrefix("n,a=a=2Cb=3Dc,\u{1}") == true)
    }

    @Test func controlCharactersThatWouldEndAFieldAreRefused() {
        for mechanism in IMAPOAuthMechanism.allCases {
            #expect(throws: IMAPError.self) { try mechanism.initialResponse(user: "a\u{1}auth=x", accessToken: "t", host: "h", port: 1) }
            #expect(throws: IMAPError.self) { try mechanism.initialResponse(user: "a", accessToken: "t\r\nM9 LOGOUT", host: "h", port: 1) }
        }
    }

    @Test func theErrorChallengeIsAcknowledgedAsEachMechanismWants() {
        #expect(IMAPOAuthMechanism.xoauth2.failureAcknowledgement == "")
        #expect(Self.decoded(IMAPOAuthMechanism.oauthBearer.failureAcknowledgement) == "\u{1}")
        #expect(IMAPOAuthMechanism.allCases.map(\.rawValue) == ["XOAUTH2", "OAUTHBEARER"])
    }
}
