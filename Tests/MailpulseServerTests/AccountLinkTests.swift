import Foundation
import MailpulseCore
import MailpulseServer
import SQLiteStore
import Secrets
import TestSupport
import Testing

@Suite(.enabled(if: TestEnvironment.hasRedis, "needs REDIS_URL (make test provides it)"))
struct AccountLinkTests {
    @Test func theFullLinkFollowingRedirectsAsABrowserWould() async throws {
        try await LinkHarness.run { harness in
            try await harness.createMailbox("ada@outlook.com")
            let created = try await harness.send("POST", "/api/accounts", json: "{\"provider\":\"outlook\"}")
            #expect(created.status == 201)
            #expect(created.headers["set-cookie"]?.contains("HttpOnly") == true)
            let id = try #require(created.json["id"] as? String)
            let token = try #require(created.json["token"] as? String)
            let loginURL = try #require(created.json["loginUrl"] as? String)
            let login = LinkHarness.query(loginURL)
            #expect(loginURL.hasPrefix("\(harness.simulator)/common/oauth2/v2.0/authorize?"))
            #expect(login["code_challenge_method"] == "S256")
            #expect(login["code_challenge"]?.count == 43)
            #expect(login["scope"] == "offline_access User.Read Mail.Read Mail.Send")
            #expect(login["redirect_uri"] == "\(harness.publicURL)/oauth/callback")
            #expect(try await harness.account(id, token: token).json["status"] as? String == "pending")

            let back = try await harness.signIn(loginURL, as: "ada@outlook.com")
            let done = try await harness.returnFromProvider(back)
            #expect(done.status == 302)
            let destination = try #require(done.headers["location"])
            #expect(destination.hasPrefix("\(harness.publicURL)/data.html?"))
            #expect(LinkHarness.query(destination) == ["account": id, "status": "linked"])

            // Linking hands the account to the sync engine, so it may already be syncing or live.
            let account = try await harness.account(id, token: token)
            #expect(["linked", "syncing", "live"].contains(account.json["status"] as? String ?? ""))
            #expect(try await harness.waitForStatus(id, token: token, "live") == "live")
            let identity = try #require(account.json["identity"] as? [String: Any])
            #expect(identity["address"] as? String == "ada@outlook.com")
            #expect(identity["displayName"] as? String == "Ada Lovelace")
            #expect(!account.text.contains("Token") && !account.text.contains("token"))

            // Tokens are sealed: neither they nor any part of them is readable in the SQLite files or any log line.
            let store = try SQLiteMailStore(path: harness.configuration.sqlitePath)
            let vault = AESGCMTokenVault(key: try TokenKey.loadOrCreate(at: harness.configuration.tokenKeyFile), store: store)
            let accountID = try #require(AccountID(id))
            let tokens = try #require(try await vault.tokens(for: accountID))
            let folder = URL(fileURLWithPath: harness.configuration.sqlitePath).deletingLastPathComponent()
            for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasPrefix("mail.sqlite") {
                let bytes = try Data(contentsOf: folder.appendingPathComponent(file))
                #expect(bytes.range(of: Data(tokens.accessToken.utf8)) == nil)
                #expect(bytes.range(of: Data(tokens.refreshToken!.utf8)) == nil)
                #expect(bytes.range(of: Data(token.utf8)) == nil)
            }
            for line in harness.logs.all {
                #expect(!line.contains(tokens.accessToken) && !line.contains(tokens.refreshToken!) && !line.contains(token), "\(line)")
            }
        }
    }

    @Test func stateIsSingleUseAndUnknownStateIsRefused() async throws {
        try await LinkHarness.run { harness in
            try await harness.createMailbox("ada@outlook.com")
            let (id, loginURL, token) = try await harness.createAccount()
            let back = try await harness.signIn(loginURL, as: "ada@outlook.com")
            #expect(try await harness.returnFromProvider(back).status == 302)
            let replay = try await harness.returnFromProvider(back)
            #expect(replay.status == 400)
            #expect(replay.text.contains("already completed"))
            let unknown = try await harness.send("GET", "/oauth/callback?state=never-issued&code=x")
            #expect(unknown.status == 400)
            #expect(unknown.text.contains("unknown or expired"))
            #expect(try await harness.waitForStatus(id, token: token, "live") == "live")
        }
    }

    @Test func accessDeniedLeavesTheAccountPending() async throws {
        try await LinkHarness.run { harness in
            let (id, loginURL, token) = try await harness.createAccount()
            let state = try #require(LinkHarness.query(loginURL)["state"])
            let denied = try await harness.send("GET", "/oauth/callback?state=\(state)&error=access_denied&error_description=AADSTS65004")
            #expect(denied.status == 302)
            let deniedLocation = try #require(denied.headers["location"])
            #expect(LinkHarness.query(deniedLocation) == ["account": id, "status": "error", "error": "access_denied"])
            #expect(try await harness.account(id, token: token).json["status"] as? String == "pending")
        }
    }

    @Test func aRelinkReturnsToTheCallbackItNamesAndRefusesABodyThatIsNotJSON() async throws {
        try await LinkHarness.run { harness in
            try await harness.createMailbox("ada@outlook.com")
            let (id, _, token) = try await harness.createAccount()
            let auth = [("Authorization", "Bearer \(token)")]
            let refused = try await harness.send("POST", "/api/accounts/\(id)/relink", headers: auth, json: "callbackUrl=/")
            #expect(refused.status == 400)
            #expect((refused.json["error"] as? [String: Any])?["message"] is String)
            let relinked = try await harness.send(
                "POST",
                "/api/accounts/\(id)/relink",
                headers: auth,
                json: #"{"callbackUrl":"\#(harness.publicURL)/"}"#
            )
            let back = try await harness.returnFromProvider(
                try await harness.signIn(try #require(relinked.json["loginUrl"] as? String), as: "ada@outlook.com")
            )
            let location = try #require(back.headers["location"])
            #expect(location.hasPrefix("\(harness.publicURL)/?account=\(id)"), "\(location)")
            #expect(LinkHarness.query(location)["status"] == "linked")
        }
    }

    @Test func aCodeForAnotherSignInOrAReusedCodeFailsAndChangesNothing() async throws {
        try await LinkHarness.run { harness in
            try await harness.createMailbox("ada@outlook.com")
            let (id, firstLogin, token) = try await harness.createAccount()
            // The browser that started the first sign-in (the relink below starts the second in another one).
            let firstBrowser = harness.loginCookies.value
            let relinked = try await harness.send("POST", "/api/accounts/\(id)/relink", headers: [("Authorization", "Bearer \(token)")])
            let secondLogin = try #require(relinked.json["loginUrl"] as? String)
            // A code issued for the first sign-in's PKCE challenge, delivered with the second sign-in's state: the verifier does not match.
            let firstBack = try await harness.signIn(firstLogin, as: "ada@outlook.com")
            let code = try #require(LinkHarness.query(firstBack)["code"])
            let secondState = try #require(LinkHarness.query(secondLogin)["state"])
            let mismatched = try await harness.send("GET", "/oauth/callback?state=\(secondState)&code=\(code)")
            let mismatchedLocation = try #require(mismatched.headers["location"])
            #expect(LinkHarness.query(mismatchedLocation)["error"] == "login_failed")
            #expect(try await harness.account(id, token: token).json["status"] as? String == "pending")

            // The first sign-in completes; its code, replayed under a fresh sign-in, is refused as already redeemed.
            harness.loginCookies.value = firstBrowser
            #expect(try await harness.returnFromProvider(firstBack).status == 302)
            let third = try await harness.send("POST", "/api/accounts/\(id)/relink", headers: [("Authorization", "Bearer \(token)")])
            let thirdLogin = try #require(third.json["loginUrl"] as? String)
            let thirdState = try #require(LinkHarness.query(thirdLogin)["state"])
            let reused = try await harness.send("GET", "/oauth/callback?state=\(thirdState)&code=\(code)")
            let reusedLocation = try #require(reused.headers["location"])
            #expect(LinkHarness.query(reusedLocation)["error"] == "login_failed")
            #expect(try await harness.waitForStatus(id, token: token, "live") == "live")
        }
    }

    @Test func everyAccountRouteIsIsolated() async throws {
        try await LinkHarness.run { harness in
            let alice = try await harness.createAccount()
            let bob = try await harness.createAccount()
            #expect(try await harness.send("GET", "/api/accounts/\(alice.id)").status == 401)
            for (method, suffix) in [("GET", ""), ("POST", "/relink"), ("DELETE", "")] {
                let crossed = try await harness.send(
                    method,
                    "/api/accounts/\(alice.id)\(suffix)",
                    headers: [("Authorization", "Bearer \(bob.token)")]
                )
                let missing = try await harness.send(
                    method,
                    "/api/accounts/\(UUID().uuidString)\(suffix)",
                    headers: [("Authorization", "Bearer \(bob.token)")]
                )
                #expect(crossed.status == 404)
                #expect(crossed.status == missing.status && crossed.text == missing.text, "\(crossed.text) vs \(missing.text)")
            }
            let cookie = "mailpulse_\(alice.id.replacingOccurrences(of: "-", with: ""))=\(alice.token)"
            #expect(try await harness.send("GET", "/api/accounts/\(alice.id)", headers: [("Cookie", cookie)]).status == 200)
            #expect(try await harness.send("DELETE", "/api/accounts/\(alice.id)", headers: [("Cookie", cookie)]).status == 204)
            #expect(try await harness.account(alice.id, token: alice.token).status == 404)
            #expect(try await harness.account(bob.id, token: bob.token).status == 200)
        }
    }

    @Test func badCreateRequestsAreRefused() async throws {
        try await LinkHarness.run { harness in
            #expect(try await harness.send("POST", "/api/accounts", json: "{\"provider\":\"gmail\"}").status == 400)
            #expect(try await harness.send("POST", "/api/accounts", json: "not json").status == 400)
            let foreign = try await harness.send(
                "POST",
                "/api/accounts",
                json: "{\"provider\":\"outlook\",\"callbackUrl\":\"https://evil.example/cb\"}"
            )
            #expect(foreign.status == 400)
            #expect(
                try await harness.send("POST", "/api/accounts", json: "{\"provider\":\"outlook\",\"callbackUrl\":\"javascript:alert(1)\"}").status
                    == 400
            )
            let own = try await harness.send(
                "POST",
                "/api/accounts",
                json: "{\"provider\":\"outlook\",\"callbackUrl\":\"\(harness.publicURL)/done\"}"
            )
            #expect(own.status == 201)
        }
    }
}
