import Foundation
import GraphSimulator
import HTTPTransport
import Hummingbird
import HummingbirdTesting
import Logging
import MicrosoftGraph
import Testing

/// The Graph client against graph-sim over real HTTP.
@Suite struct GraphClientTests {
    static func withSignedInClient(_ body: @Sendable (GraphClient, String) async throws -> Void) async throws {
        let app = buildGraphSimulator(configuration: SimulatorConfiguration(), host: "127.0.0.1", port: 0, logger: Logger(label: "sim"))
        try await app.test(.live) { client in
            let base = "http://127.0.0.1:\(client.port!)"
            let transport = URLSessionTransport()
            _ = try await transport.send(
                HTTPRequestData(
                    method: "POST",
                    url: URL(string: "\(base)/sim/mailboxes")!,
                    body: Data(#"{"address":"ada@outlook.com","messages":30,"seed":5}"#.utf8)
                )
            )
            let identity = IdentityClient(
                configuration: IdentityConfiguration(
                    clientID: SimulatorConfiguration().clientID,
                    baseURL: URL(string: base)!,
                    redirectURI: "http://127.0.0.1:8080/oauth/callback"
                ),
                transport: transport
            )
            let pkce = PKCEPair.random()
            let authorize = try await transport.send(
                HTTPRequestData(
                    method: "GET",
                    url: URL(string: identity.authorizeURL(state: "s", pkce: pkce, loginHint: "ada@outlook.com").absoluteString)!
                )
            )
            let location = try #require(authorize.header("location"))
            let code = try #require(URLComponents(string: location)?.queryItems?.first { $0.name == "code" }?.value)
            let tokens = try await identity.redeem(code: code, verifier: pkce.verifier)
            try await body(GraphClient(baseURL: URL(string: "\(base)/v1.0")!, transport: transport), tokens.accessToken)
        }
    }

    @Test func foldersDeltaPagesAndSingleMessages() async throws {
        try await Self.withSignedInClient { graph, token in
            let folders = try await graph.mailFolderDelta(link: nil, accessToken: token)
            #expect(folders.value.count == 7)
            #expect(folders.deltaLink != nil)
            let inbox = try #require(folders.value.first { $0.displayName == "Inbox" })

            var link: String?
            var messages: [GraphMessage] = []
            var pages = 0
            repeat {
                let page = try await graph.messageDelta(folderID: inbox.id, link: link, pageSize: 4, accessToken: token)
                messages += page.value
                pages += 1
                if let next = page.nextLink {
                    link = next
                } else {
                    #expect(page.deltaLink != nil)
                    link = nil
                }
            } while link != nil
            #expect(pages >= 2)
            #expect(messages.allSatisfy { $0.parentFolderId == inbox.id && $0.lastModifiedDateTime != nil && $0.changeKey != nil })
            let first = try #require(messages.first)
            #expect(try await graph.message(first.id, accessToken: token) == first)

            let missing = await #expect(throws: GraphError.self) { try await graph.message("AAMkADgone", accessToken: token) }
            #expect(missing?.isNotFound == true)
            let refused = await #expect(throws: GraphError.self) { try await graph.me(accessToken: "EwAnot-a-token") }
            #expect(refused?.isUnauthorized == true)
        }
    }
}
