import Foundation
import GraphSimulator
import Testing

@Suite struct IdentityTests {
    @Test func theCodeFlowWithPKCEIssuesTokensShapedAsDocumented() async throws {
        try await SimulatorHarness.run { graph in
            _ = try await graph.createMailbox("ada@outlook.com", messages: 0)
            let verifier = "a-verifier-of-more-than-forty-three-characters-0123"
            let authorize = try await graph.send("GET", graph.authorizeURL(loginHint: "ada@outlook.com", verifier: verifier))
            #expect(authorize.status == 302)
            let query = try GraphClient.redirectQuery(authorize)
            #expect(query["state"] == "st4te")
            let code = try #require(query["code"])

            let token = try await graph.redeem(code: code, verifier: verifier)
            #expect(token.status == 200)
            if Fixtures.available {
                var fixture = try Fixtures.load("oauth2-token.authcode.success.response.json")
                // The id_token comes only with the openid scope, which this sign-in did not ask for.
                if case .object(let members) = fixture { fixture = .object(members.filter { $0.0 != "id_token" }) }
                Fixtures.expectShape(token.json, like: fixture)
            }
            #expect(token.json["expires_in"]?.numberValue == 3599)
            #expect(token.json["scope"]?.stringValue == "User.Read Mail.Read")

            // A code is single-use.
            let again = try await graph.redeem(code: code, verifier: verifier)
            #expect(again.status == 400)
            #expect(again.json["error"]?.stringValue == "invalid_grant")
            #expect(again.json["error_codes"]?.arrayValue?.first?.numberValue == 54005)
            if Fixtures.available {
                Fixtures.expectShape(again.json, like: try Fixtures.load("oauth2-token.error.invalid_scope.response.json"))
            }
        }
    }

    @Test func aWrongVerifierOrRedirectIsRefused() async throws {
        try await SimulatorHarness.run { graph in
            _ = try await graph.createMailbox("ada@outlook.com", messages: 0)
            let verifier = String(repeating: "x", count: 50)
            for (wrongVerifier, redirect, errorCode) in [
                (String(repeating: "y", count: 50), GraphClient.redirectURI, 501481.0), (verifier, "http://127.0.0.1:8080/elsewhere", 50011),
            ] {
                let authorize = try await graph.send("GET", graph.authorizeURL(loginHint: "ada@outlook.com", verifier: verifier))
                let code = try #require(try GraphClient.redirectQuery(authorize)["code"])
                let token = try await graph.redeem(code: code, verifier: wrongVerifier, redirectURI: redirect)
                #expect(token.status == 400)
                #expect(token.json["error_codes"]?.arrayValue?.first?.numberValue == errorCode)
                #expect(token.json["error_description"]?.stringValue?.hasPrefix("AADSTS\(Int(errorCode)):") == true)
            }
        }
    }

    @Test func refreshTokensRotate() async throws {
        try await SimulatorHarness.run { graph in
            _ = try await graph.createMailbox("ada@outlook.com", messages: 0)
            let (_, refresh) = try await graph.signIn("ada@outlook.com")
            let form = [("client_id", GraphClient.clientID), ("grant_type", "refresh_token"), ("refresh_token", refresh)]
            let first = try await graph.send("POST", "/consumers/oauth2/v2.0/token", form: form)
            #expect(first.status == 200)
            let rotated = try #require(first.json["refresh_token"]?.stringValue)
            #expect(rotated != refresh)
            let access = try #require(first.json["access_token"]?.stringValue)
            #expect(try await graph.send("GET", "/v1.0/me", token: access).status == 200)
            // The spent refresh token does not work twice.
            let replay = try await graph.send("POST", "/consumers/oauth2/v2.0/token", form: form)
            #expect(replay.status == 400)
            #expect(replay.json["error"]?.stringValue == "invalid_grant")
        }
    }

    @Test func withoutOfflineAccessThereIsNoRefreshToken() async throws {
        try await SimulatorHarness.run { graph in
            _ = try await graph.createMailbox("ada@outlook.com", messages: 0)
            let verifier = String(repeating: "z", count: 43)
            let authorize = try await graph.send(
                "GET",
                graph.authorizeURL(loginHint: "ada@outlook.com", verifier: verifier, scope: "User.Read Mail.Read")
            )
            let token = try await graph.redeem(code: try #require(try GraphClient.redirectQuery(authorize)["code"]), verifier: verifier)
            #expect(token.status == 200)
            #expect(token.json["refresh_token"] == nil)
        }
    }

    @Test func withoutAHintTheSignInPageListsMailboxesAndDecliningRedirectsWithAccessDenied() async throws {
        try await SimulatorHarness.run { graph in
            _ = try await graph.createMailbox("ada@outlook.com", messages: 0)
            let page = try await graph.send("GET", graph.authorizeURL(loginHint: nil, verifier: String(repeating: "p", count: 43)))
            #expect(page.status == 200)
            let html = String(decoding: page.body, as: UTF8.self)
            #expect(html.contains("data-mailbox=\"ada@outlook.com\""))

            let decline = try await graph.send(
                "POST",
                "/common/oauth2/v2.0/authorize",
                form: [
                    ("client_id", GraphClient.clientID), ("response_type", "code"), ("redirect_uri", GraphClient.redirectURI),
                    ("scope", "User.Read"), ("state", "s1"), ("decision", "decline"),
                ]
            )
            #expect(decline.status == 302)
            let query = try GraphClient.redirectQuery(decline)
            #expect(query["error"] == "access_denied")
            #expect(query["state"] == "s1")
            #expect(query["error_description"]?.hasPrefix("AADSTS65004") == true)
        }
    }

    @Test func anUnknownClientOrRedirectGetsAnErrorPageNotARedirect() async throws {
        try await SimulatorHarness.run { graph in
            let badClient = try await graph.send(
                "GET",
                "/common/oauth2/v2.0/authorize?client_id=nope&response_type=code&redirect_uri=http://127.0.0.1:8080/oauth/callback&scope=User.Read"
            )
            #expect(badClient.status == 400)
            #expect(String(decoding: badClient.body, as: UTF8.self).contains("AADSTS700016"))
            let badRedirect = try await graph.send(
                "GET",
                "/common/oauth2/v2.0/authorize?client_id=\(GraphClient.clientID)&response_type=code&redirect_uri=https://evil.example/cb&scope=User.Read"
            )
            #expect(badRedirect.status == 400)
            #expect(badRedirect.headers["location"] == nil)
            // Loopback redirect URIs match whatever their port.
            let otherPort = try await graph.send(
                "GET",
                "/common/oauth2/v2.0/authorize?client_id=\(GraphClient.clientID)&response_type=code&redirect_uri=http://127.0.0.1:9999/oauth/callback&scope=User.Read"
            )
            #expect(otherPort.status == 200)
        }
    }
}
