import Foundation
import MailpulseCore
import Testing

extension MailStoreContractTests {
    // MARK: Message content

    @Test(arguments: StoreFactory.all)
    func contentIsKeptForLiveMessagesThroughNewVersionsAndDroppedWithTheMessage(_ factory: StoreFactory) async throws {
        let store = try await factory.make()
        let account = try await MailFixtures.createdAccount(in: store)
        let content = MessageContent(
            body: MessageBody(contentType: .html, content: "<p>The <b>engine</b> runs</p>"),
            bccRecipients: [EmailAddress(name: "Hidden", address: "hidden@example.com")],
            attachments: [AttachmentInfo(id: "a1", name: "plan.pdf", contentType: "application/pdf", size: 1234, isInline: false)]
        )
        #expect(try await store.saveContent(content, of: "unknown", of: account) == false, "no message, nothing kept")
        _ = try await store.upsertMessages([MailFixtures.message("c1", account: account)])
        #expect(try await store.content(of: "c1", of: account) == nil)
        #expect(try await store.saveContent(content, of: "c1", of: account))
        #expect(try await store.content(of: "c1", of: account) == content)

        let other = try await MailFixtures.createdAccount(in: store)
        #expect(try await store.content(of: "c1", of: other) == nil, "another account never reads it")

        // A newer version (read, flagged, moved) keeps what was opened.
        _ = try await store.upsertMessages([MailFixtures.message("c1", account: account, modifiedAt: 1_800_000_000_000, isRead: true)])
        #expect(try await store.content(of: "c1", of: account) == content)

        _ = try await store.deleteMessages([MessageDeletion(accountID: account, messageID: "c1", version: .max)])
        #expect(try await store.content(of: "c1", of: account) == nil)
        #expect(try await store.saveContent(content, of: "c1", of: account) == false, "a tombstone keeps no content")
    }

    @Test(arguments: StoreFactory.all)
    func searchCoversStoredBodies(_ factory: StoreFactory) async throws {
        let store = try await factory.make()
        let account = try await MailFixtures.createdAccount(in: store)
        _ = try await store.upsertMessages([
            MailFixtures.message("b1", account: account, subject: "Minutes", receivedAt: 2),
            MailFixtures.message("b2", account: account, subject: "Agenda", receivedAt: 1),
        ])
        func ids(_ text: String, in account: AccountID) async throws -> [String] {
            try await store.messages(MessageQuery(accountID: account, text: text)).messages.map(\.id)
        }
        #expect(try await ids("zeppelin", in: account) == [])
        let html = "<html><head><style>.zeppelin{}</style></head><body><p>Board the <i>Zeppelin</i> at n&ocirc;on &amp; dine</p></body></html>"
        _ = try await store.saveContent(MessageContent(body: MessageBody(contentType: .html, content: html)), of: "b1", of: account)
        _ = try await store.saveContent(MessageContent(body: MessageBody(contentType: .text, content: "Bring the hydrogen")), of: "b2", of: account)
        #expect(try await ids("zeppelin", in: account) == ["b1"])
        #expect(try await ids("board zepp", in: account) == ["b1"], "every word, the last as a prefix")
        #expect(try await ids("hydrogen", in: account) == ["b2"])
        #expect(try await ids("style", in: account) == [], "markup is not text")

        let other = try await MailFixtures.createdAccount(in: store)
        _ = try await store.upsertMessages([MailFixtures.message("b1", account: other, subject: "Minutes")])
        #expect(try await ids("zeppelin", in: other) == [], "another account's bodies are not searched")

        _ = try await store.deleteMessages([MessageDeletion(accountID: account, messageID: "b1", version: .max)])
        #expect(try await ids("zeppelin", in: account) == [])
    }

    @Test(arguments: StoreFactory.all)
    func aConversationReadsOldestFirstInPages(_ factory: StoreFactory) async throws {
        let store = try await factory.make()
        let account = try await MailFixtures.createdAccount(in: store)
        var messages = (1...5).map { index in
            var message = MailFixtures.message("t\(index)", account: account, receivedAt: Int64(index) * 1000)
            message.conversationID = "thread"
            return message
        }
        messages.append(MailFixtures.message("other", account: account, receivedAt: 2500))
        _ = try await store.upsertMessages(messages)
        var seen: [String] = []
        var cursor: PageCursor?
        repeat {
            let page = try await store.messages(
                MessageQuery(accountID: account, conversationID: "thread", oldestFirst: true, limit: 2, cursor: cursor)
            )
            seen += page.messages.map(\.id)
            cursor = page.next
        } while cursor != nil
        #expect(seen == ["t1", "t2", "t3", "t4", "t5"])
    }
}
