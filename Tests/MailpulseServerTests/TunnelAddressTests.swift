import Foundation
import Hummingbird
import Logging
import MailpulseCore
import SQLiteStore
import TestSupport
import Testing

@testable import MailpulseServer

/// Webhooks behind a tunnel whose public address changes (a cloudflared quick tunnel gets a new one at each start).
@Suite(.enabled(if: TestEnvironment.hasRedis, "needs REDIS_URL (make test provides it)"))
struct TunnelAddressTests {
    @Test func cloudflaredAndNgrokAnswersGiveThePublicURL() {
        func url(_ json: String) -> String? { TunnelAddressService.publicURL(fromTunnelAnswer: Data(json.utf8)) }
        #expect(url(#"{"hostname":"sir-brave-knight.trycloudflare.com"}"#) == "https://sir-brave-knight.trycloudflare.com")
        #expect(url(#"{"tunnels":[{"public_url":"http://a1b2.ngrok.app"},{"public_url":"https://a1b2.ngrok.app"}]}"#) == "https://a1b2.ngrok.app")
        #expect(url(#"{"tunnels":[{"public_url":"http://127.0.0.1:9000"}]}"#) == "http://127.0.0.1:9000")
        #expect(url(#"{"hostname":""}"#) == nil)
        #expect(url(#"{"tunnels":[]}"#) == nil)
        #expect(url("not json") == nil)
    }

    @Test func whenTheTunnelsAddressChangesTheSubscriptionsFollowIt() async throws {
        // A stand-in for ngrok's agent API: it answers whatever public URL the test gives it.
        let publicURL = SharedValue("")
        let router = Router()
        router.get("api/tunnels") { _, _ -> Response in
            let tunnels = publicURL.value.isEmpty ? "[]" : #"[{"public_url":"\#(publicURL.value)"}]"#
            return Response(
                status: .ok,
                headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"tunnels":\#(tunnels)}"#))
            )
        }
        let port = try TestEnvironment.freePort()
        let tunnelAPI = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port)),
            logger: Logger(label: "tunnel")
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await tunnelAPI.runService(gracefulShutdownSignals: []) }
            defer { group.cancelAll() }
            try await LinkHarness.run(tunnelAPI: "http://127.0.0.1:\(port)") { harness in
                publicURL.value = harness.publicURL
                let mailbox = try await harness.createMailbox("ada@outlook.com", messages: 60)
                let (account, _) = try await TokenRefreshTests.link(harness, createMailbox: false)
                let node = try TestNode(harness)
                let first = try #require(try await node.store.account(account)?.subscription)
                #expect(first.notificationURL == "\(harness.publicURL)/webhooks/graph")

                // The tunnel restarts with another address (here the same service by another name).
                let moved = harness.publicURL.replacingOccurrences(of: "127.0.0.1", with: "localhost")
                publicURL.value = moved
                let followed = try await TestEnvironment.eventually {
                    try await node.store.account(account)?.subscription?.notificationURL == "\(moved)/webhooks/graph"
                }
                #expect(followed, "the subscription moved to the tunnel's new address")

                _ = try await ConvergenceScenario.randomChanges(harness, mailbox: mailbox, count: 10, seed: 12)
                try await ConvergenceScenario.expectConverged(harness, node, account, mailbox: mailbox, timeout: .seconds(20))
            }
        }
    }
}
