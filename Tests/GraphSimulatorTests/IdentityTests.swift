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
            #expect(token.json["ext_expires_in"]?.numberValue == 3599)
            #expect(token.json["token_type"]?.stringValue == "Bearer")
            #expect(token.json["scope"]?.stringValue == "User.Read Mail.Read Mail.Send")
            #expect(token.json["id_token"] == nil)

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
            #expect(token.json["id_token"] == nil)
        }
    }

    /// A part of a compact JWT (0: header, 1: claims), decoded.
    static func jwtPart(_ token: String, _ index: Int) throws -> JSONValue {
        let segments = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        try #require(segments.count == 3)
        #expect(segments.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" } })
        var base64 = segments[index].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        let data = try #require(Data(base64Encoded: base64))
        return try #require(JSONValue.parse(data))
    }

    /// Signs in with `scope` through the code flow: the token endpoint's answer.
    static func signIn(
        _ graph: GraphClient,
        _ address: String,
        scope: String,
        nonce: String? = nil,
        clientID: String = GraphClient.clientID
    ) async throws -> GraphClient.Reply {
        let verifier = String(repeating: "o", count: 43)
        let authorize = try await graph.send(
            "GET",
            graph.authorizeURL(loginHint: address, verifier: verifier, scope: scope, nonce: nonce, clientID: clientID)
        )
        let token = try await graph.redeem(
            code: try #require(try GraphClient.redirectQuery(authorize)["code"]),
            verifier: verifier,
            clientID: clientID
        )
        #expect(token.status == 200)
        return token
    }

    @Test func withOpenIDTheAnswerCarriesAnIDTokenWithTheV2Claims() async throws {
        let tenant = SimulatorConfiguration().tenantID
        let subject = try await SimulatorHarness.run { graph in
            _ = try await graph.createMailbox("ada@outlook.com", messages: 0)
            let before = Date().timeIntervalSince1970.rounded(.down)
            let token = try await Self.signIn(graph, "ada@outlook.com", scope: "openid profile offline_access User.Read Mail.Read", nonce: "n0nce")
            if Fixtures.available { Fixtures.expectShape(token.json, like: try Fixtures.load("oauth2-token.authcode.success.response.json")) }
            // Only the resource's scopes come back, as in the documented answer.
            #expect(token.json["scope"]?.stringValue == "User.Read Mail.Read")
            let idToken = try #require(token.json["id_token"]?.stringValue)
            let header = try Self.jwtPart(idToken, 0)
            #expect(header["typ"]?.stringValue == "JWT")
            #expect(header["alg"]?.stringValue == "RS256")
            #expect(header["kid"]?.stringValue?.isEmpty == false)

            let claims = try Self.jwtPart(idToken, 1)
            let me = try await graph.send("GET", "/v1.0/me", token: try #require(token.json["access_token"]?.stringValue)).json
            #expect(claims["aud"]?.stringValue == GraphClient.clientID)
            #expect(claims["iss"]?.stringValue == "https://login.microsoftonline.com/\(tenant)/v2.0")
            #expect(claims["tid"]?.stringValue == tenant)
            #expect(claims["oid"] == me["id"])
            #expect(claims["preferred_username"]?.stringValue == "ada@outlook.com")
            #expect(claims["name"]?.stringValue == "Ada Lovelace")
            #expect(claims["ver"]?.stringValue == "2.0")
            #expect(claims["nonce"]?.stringValue == "n0nce")
            let issued = try #require(claims["iat"]?.numberValue)
            #expect(issued >= before && issued <= Date().timeIntervalSince1970)
            #expect(claims["nbf"]?.numberValue == issued)
            #expect(claims["exp"]?.numberValue == issued + 3600)
            let sub = try #require(claims["sub"]?.stringValue)
            #expect(sub.count >= 20 && sub != me["id"]?.stringValue)

            // A refresh answers a new id_token for the same user: same subject and object id, no nonce.
            let refreshed = try await graph.send(
                "POST",
                "/consumers/oauth2/v2.0/token",
                form: [
                    ("client_id", GraphClient.clientID), ("grant_type", "refresh_token"),
                    ("refresh_token", try #require(token.json["refresh_token"]?.stringValue)),
                ]
            )
            #expect(refreshed.status == 200)
            if Fixtures.available { Fixtures.expectShape(refreshed.json, like: try Fixtures.load("oauth2-token.authcode.success.response.json")) }
            let again = try Self.jwtPart(try #require(refreshed.json["id_token"]?.stringValue), 1)
            #expect(again["sub"]?.stringValue == sub)
            #expect(again["oid"] == claims["oid"])
            #expect(again["nonce"] == nil)

            // Another user, another subject.
            _ = try await graph.createMailbox("bea@outlook.com", messages: 0)
            let other = try await Self.signIn(graph, "bea@outlook.com", scope: "openid profile User.Read")
            let otherClaims = try Self.jwtPart(try #require(other.json["id_token"]?.stringValue), 1)
            #expect(otherClaims["sub"]?.stringValue != sub)
            #expect(otherClaims["preferred_username"]?.stringValue == "bea@outlook.com")
            return sub
        }
        // The same user in another app gets another subject (it is pairwise) but the same object id.
        let otherApp = "99999999-8888-7777-6666-555555555555"
        let registerOtherApp: (inout SimulatorConfiguration) -> Void = { $0.clientID = otherApp }
        try await SimulatorHarness.run(registerOtherApp) { graph in
            let mailbox = try await graph.createMailbox("ada@outlook.com", messages: 0)
            let token = try await Self.signIn(graph, "ada@outlook.com", scope: "openid profile User.Read", clientID: otherApp)
            let claims = try Self.jwtPart(try #require(token.json["id_token"]?.stringValue), 1)
            #expect(claims["aud"]?.stringValue == otherApp)
            #expect(claims["oid"]?.stringValue == mailbox)
            #expect(claims["sub"]?.stringValue != subject)
        }
    }

    @Test func openIDAloneStillNamesWhoSignedInEmailNeedsItsScopeAndWithoutOpenIDThereIsNone() async throws {
        try await SimulatorHarness.run { graph in
            _ = try await graph.createMailbox("ada@outlook.com", messages: 0)
            let bare = try await Self.signIn(graph, "ada@outlook.com", scope: "openid User.Read")
            let claims = try Self.jwtPart(try #require(bare.json["id_token"]?.stringValue), 1)
            for claim in ["aud", "iss", "iat", "nbf", "exp", "sub", "oid", "tid", "preferred_username", "name", "ver"] {
                #expect(claims[claim] != nil, "\(claim)")
            }
            for claim in ["email", "nonce"] {
                #expect(claims[claim] == nil, "\(claim)")
            }
            let withEmail = try await Self.signIn(graph, "ada@outlook.com", scope: "openid email User.Read")
            #expect(try Self.jwtPart(try #require(withEmail.json["id_token"]?.stringValue), 1)["email"]?.stringValue == "ada@outlook.com")
            let none = try await Self.signIn(graph, "ada@outlook.com", scope: "profile offline_access User.Read")
            #expect(none.json["id_token"] == nil)
            #expect(none.json["refresh_token"] != nil)
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
