import Foundation
import MailpulseCore
import SyncEngine
import Testing

/// One node, several providers: each call goes to the adapter of the account's kind.
@Suite struct MailProviderRegistryTests {
    @Test func eachAccountIsServedByTheAdapterOfItsKind() async throws {
        let engine = try await SyncEngineFixtures.linked()
        let imapAccount = AccountID.random()
        try await engine.store.createAccount(Account(id: imapAccount, provider: .imap, status: .linked, createdAt: Date(), updatedAt: Date()))
        let imap = ScriptedProvider(account: imapAccount)
        imap.addFolder("INBOX", "INBOX", wellKnownName: "inbox")
        engine.provider.addFolder("inbox", "Inbox", wellKnownName: "inbox")
        let registry = MailProviderRegistry(store: engine.store, providers: [.outlook: engine.provider, .imap: imap])

        #expect(try await registry.mailboxes(of: engine.account, accessToken: "t").map(\.id) == ["inbox"])
        #expect(try await registry.mailboxes(of: imapAccount, accessToken: "t").map(\.id) == ["INBOX"])
        #expect(engine.provider.calls.folderLists == 1 && imap.calls.folderLists == 1)
        #expect(registry.served == [.outlook, .imap])
    }

    @Test func anAccountOfAKindTheNodeDoesNotServeFailsClearly() async throws {
        let engine = try await SyncEngineFixtures.linked()
        let registry = MailProviderRegistry(store: engine.store, providers: [.imap: engine.provider])
        await #expect(throws: MailProviderError.failed("this node serves no outlook provider")) {
            try await registry.message("m1", of: engine.account, accessToken: "t")
        }
    }

    @Test func aDeletedAccountIsNotFound() async throws {
        let engine = try await SyncEngineFixtures.linked()
        let registry = MailProviderRegistry(store: engine.store, providers: [.outlook: engine.provider])
        let error = await #expect(throws: MailStoreError.self) {
            try await registry.beginLogin(for: .random(), state: "s")
        }
        #expect(error?.isNotFound == true)
    }

    @Test func anAccountsKindIsReadFromTheStoreOnce() async throws {
        let engine = try await SyncEngineFixtures.linked()
        engine.provider.addFolder("inbox", "Inbox")
        let registry = MailProviderRegistry(store: engine.store, providers: [.outlook: engine.provider])
        _ = try await registry.mailboxes(of: engine.account, accessToken: "t")
        // The account's rows are gone; its kind is remembered, and the adapter (not the registry) decides what follows.
        try await engine.store.deleteAccount(engine.account)
        #expect(try await registry.mailboxes(of: engine.account, accessToken: "t").count == 1)
    }
}
