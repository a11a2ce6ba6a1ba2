import Foundation
import TestSupport
import Testing

@testable import IMAP

extension IMAPConnectionTests {
    /// XOAUTH2 and OAUTHBEARER against a real Dovecot that asks an introspection endpoint of the test's own about the
    /// token: a good one signs in, a bad one is refused with the server's JSON error; with SASL-IR and without.
    struct OAuth {
        @Test(arguments: IMAPOAuthMechanism.allCases, [true, false])
        func aTokenSignsInAndABadOneIsRefusedWithTheServersReason(mechanism: IMAPOAuthMechanism, initialResponseInline: Bool) async throws {
            let introspection = try OAuthIntrospectionTestServer(tokens: ["token-of-ada": "ada"])
            defer { introspection.stop() }
            // Without SASL-IR among the capabilities the first message waits for the server's continuation.
            try await DovecotTestServer.run(capabilities: initialResponseInline ? nil : ["IMAP4rev1"], oauthIntrospectionURL: introspection.url) {
                server in

                let connection = try await IMAPConnection.connect(host: "127.0.0.1", port: server.port)
                defer { connection.close() }
                #expect(try await connection.capabilities().contains("SASL-IR") == initialResponseInline)
                try await connection.authenticate(user: "ada", accessToken: "token-of-ada", mechanism: mechanism)
                #expect(try await connection.mailboxes().map(\.name).contains("INBOX"))

                let refused = try await IMAPConnection.connect(host: "127.0.0.1", port: server.port)
                defer { refused.close() }
                do {
                    try await refused.authenticate(user: "ada", accessToken: "expired", mechanism: mechanism)
                    Issue.record("an unknown token signed in")
                } catch IMAPError.refused(let status) {
                    #expect(status.kind == .no, "\(status)")
                    if case .other(let code, _)? = status.code { #expect(code == "AUTHENTICATIONFAILED") } else { Issue.record("\(status)") }
                    #expect(status.text.contains(#""status":"#), "the server's JSON error: \(status.text)")
                }
            }
        }
    }
}
