import Foundation
import HTTPTransport
import MicrosoftGraph
import Testing

/// The bearer token goes to Graph's origin only, whatever link Graph (or a stored checkpoint) names; and numbers in
/// Graph's answers are read within range.
@Suite struct GraphOriginTests {
    static let base = URL(string: "https://graph.microsoft.com/v1.0")!

    @Test(arguments: [
        "http://graph.microsoft.com/v1.0/me/mailFolders/delta?$deltatoken=a",
        "https://graph.microsoft.com.evil.example/v1.0/me/mailFolders/delta",
        "https://evil.example/v1.0/me/mailFolders/delta?$skiptoken=b",
        "https://graph.microsoft.com:8443/v1.0/me/mailFolders/delta",
        "https://user@evil.example/v1.0/me/mailFolders/delta",
    ])
    func aLinkAwayFromGraphIsRefusedAndNothingIsSent(_ link: String) async throws {
        let transport = RecordingTransport()
        let graph = GraphClient(baseURL: Self.base, transport: transport)
        let error = await #expect(throws: GraphError.self) { _ = try await graph.mailFolderDelta(link: link, accessToken: "secret-token") }
        #expect(error?.code == GraphError.untrustedLinkCode)
        #expect(transport.requests.isEmpty)
    }

    @Test func aLinkOnGraphsOriginCarriesTheToken() async throws {
        let transport = RecordingTransport()
        let graph = GraphClient(baseURL: Self.base, transport: transport)
        _ = try await graph.mailFolderDelta(link: "https://GRAPH.microsoft.com:443/v1.0/me/mailFolders/delta?$deltatoken=a", accessToken: "t")
        _ = try await graph.mailFolderDelta(link: nil, accessToken: "t")
        #expect(transport.requests.count == 2)
        #expect(transport.requests.allSatisfy { $0.headers.contains { $0 == ("Authorization", "Bearer t") } })
    }

    @Test(
        arguments: [
            ("120", 120.0), ("0", 0.0), ("99999999999", 86_400.0), ("inf", nil), ("nan", nil), ("-1", nil), ("1e999", nil), ("2.5", nil),
            ("Wed, 21 Oct 2026 07:28:00 GMT", nil), ("", nil),
        ] as [(String, Double?)]
    )
    func retryAfterIsWholeSecondsWithinADay(_ text: String, _ seconds: Double?) {
        #expect(GraphError.retryAfterSeconds(text) == seconds)
    }

    @Test func aThrottledAnswerWithAnAbsurdRetryAfterIsReadSafely() async throws {
        let transport = RecordingTransport(status: 429, headers: ["retry-after": "1e308"], body: "{}")
        let graph = GraphClient(baseURL: Self.base, transport: transport)
        let error = await #expect(throws: GraphError.self) { _ = try await graph.me(accessToken: "t") }
        #expect(error?.status == 429 && error?.retryAfter == nil)
    }
}
