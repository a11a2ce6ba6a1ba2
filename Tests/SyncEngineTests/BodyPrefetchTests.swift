import Foundation
import MailpulseCore
import SyncEngine
import Testing

/// `SYNC_BODIES_DAYS`: a sync reads the bodies of recent mail with it, so search finds their words before anyone opens
/// them; older mail is left for its first open.
@Suite struct BodyPrefetchTests {
    @Test func aSyncReadsTheBodiesOfRecentMailOnly() async throws {
        let engine = try await SyncEngineFixtures.linked()
        let now = Date().millisecondsSince1970
        engine.provider.addFolder("inbox", "Inbox", wellKnownName: "inbox")
        engine.provider.put("recent", in: "inbox", subject: "Zeppelin", modifiedAt: now - 3_600_000)
        engine.provider.put("yesterday", in: "inbox", subject: "Airship", modifiedAt: now - 86_400_000)
        engine.provider.put("old", in: "inbox", subject: "Balloon", modifiedAt: now - 40 * 86_400_000)
        let synchronizer = MailboxSynchronizer(
            store: engine.store,
            provider: engine.provider,
            tokens: engine.tokens,
            events: engine.events,
            bodies: BodyPrefetch(
                contents: MessageContentSource(store: engine.store, opener: engine.provider, tokens: engine.tokens),
                window: .seconds(7 * 86_400)
            )
        )
        try await synchronizer.sync(engine.account, initial: true)
        #expect(try await engine.store.content(of: "recent", of: engine.account)?.body.content == "The body of Zeppelin")
        #expect(try await engine.store.content(of: "yesterday", of: engine.account) != nil)
        #expect(try await engine.store.content(of: "old", of: engine.account) == nil, "older than the window: read when opened")
        let found = try await engine.store.messages(MessageQuery(accountID: engine.account, text: "body")).messages.map(\.id)
        #expect(Set(found) == ["recent", "yesterday"], "the bodies' words are searched")
    }
}
