import Foundation
import MicrosoftGraph
import TestSupport
import Testing

/// Where Microsoft's documented payloads are: `../shared/fixtures/graph/` beside the checkout.
enum GraphFixtures {
    static let folder = TestEnvironment.graphFixtures
    static var available: Bool { TestEnvironment.hasGraphFixtures }

    static func decode<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(contentsOf: Self.folder.appendingPathComponent(name)))
    }
}

/// The Graph models decode Microsoft's documented payloads.
@Suite(.enabled(if: GraphFixtures.available, "needs ../shared/fixtures/graph beside the checkout"))
struct GraphModelTests {
    @Test func aFullMessage() throws {
        let message = try GraphFixtures.decode(GraphMessage.self, "message-get.full.response.json")
        #expect(!message.id.isEmpty)
        #expect(message.from?.emailAddress?.address == "adelev@contoso.OnMicrosoft.com")
        #expect(message.toRecipients?.first?.emailAddress?.name == "Alex Wilber")
        #expect(message.flag?.flagStatus == "notFlagged")
        #expect(message.lastModifiedDateTime != nil && message.receivedDateTime != nil)
        #expect(message.changeKey != nil && message.parentFolderId != nil)
        #expect(message.removed == nil)
    }

    @Test func deltaPagesWithNextLinkDeltaLinkAndRemovedItems() throws {
        let first = try GraphFixtures.decode(GraphPage<GraphMessage>.self, "message-delta.select.page1-nextlink.response.json")
        #expect(first.value.count == 2)
        #expect(first.nextLink?.contains("$skiptoken=") == true)
        #expect(first.deltaLink == nil)
        #expect(first.value[0].sender?.emailAddress?.name == "Dana Swope")

        let next = try GraphFixtures.decode(
            GraphPage<GraphMessage>.self,
            "message-delta.select.next-round-removed-and-updated.deltalink.response.json"
        )
        #expect(next.deltaLink?.contains("$deltatoken=") == true)
        #expect(next.value[0].removed?.reason == "deleted")
        // The documentation prints this boolean as a string; it still reads as true.
        #expect(next.value[1].isRead == true)
    }

    @Test func foldersAndSubscriptions() throws {
        let folders = try GraphFixtures.decode(GraphPage<GraphMailFolder>.self, "mailfolders-list.response.json")
        #expect(folders.value.contains { $0.displayName == "Inbox" })
        let subscription = try GraphFixtures.decode(GraphSubscription.self, "subscription-create.api-ref.response.json")
        #expect(subscription.id == "7f105c7d-2dc5-4530-97cd-4e7ae6534c07")
        #expect(subscription.expirationDateTime.timeIntervalSince1970 > 1_479_000_000)
    }
}
