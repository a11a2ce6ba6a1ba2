import Foundation
import Logging
import MailpulseCore
import Secrets
import SyncEngine
import TestSupport
import Testing

/// The engine on in-memory adapters: a store, a backplane and a queue on a manual clock, an event log, a sealed token
/// vault, and a scripted provider, for one linked account.
struct SyncEngineFixtures {
    let account: AccountID
    let clock = ManualClock()
    let store = MemoryMailStore()
    let events = MemoryEventLog()
    let provider: ScriptedProvider
    let backplane: MemoryBackplane<ManualClock>
    let vault: AESGCMTokenVault
    let tokens: AccessTokenSource
    let directory = MemorySubscriptionDirectory()

    /// A linked account (with a subscription when `subscribed`) whose tokens are valid for an hour.
    static func linked(
        subscribed: Bool = true,
        status: AccountStatus = .linked,
        lastSyncedAt: Date? = nil,
        pageSize: Int = 3
    ) async throws -> SyncEngineFixtures {
        let fixtures = SyncEngineFixtures(account: .random(), pageSize: pageSize)
        let subscription = subscribed ? AccountSubscription(id: "subscription", expiresAt: Date() + 86_400) : nil
        try await fixtures.store.createAccount(
            Account(
                id: fixtures.account,
                provider: .outlook,
                status: status,
                createdAt: Date(),
                updatedAt: Date(),
                lastSyncedAt: lastSyncedAt,
                subscription: subscription
            )
        )
        try await fixtures.vault.store(Self.tokens(expiresIn: 3600), for: fixtures.account)
        return fixtures
    }

    private init(account: AccountID, pageSize: Int) {
        self.account = account
        self.provider = ScriptedProvider(account: account, pageSize: pageSize)
        self.backplane = MemoryBackplane(clock: self.clock)
        self.vault = AESGCMTokenVault(key: .random(), store: self.store)
        self.tokens = AccessTokenSource(vault: self.vault, backplane: self.backplane, store: self.store, provider: self.provider, events: self.events)
    }

    var synchronizer: MailboxSynchronizer {
        MailboxSynchronizer(store: self.store, provider: self.provider, tokens: self.tokens, events: self.events)
    }

    /// Where this engine's webhooks are reached.
    static let endpoints = WebhookEndpoints(publicURL: "https://mail.example", path: "webhooks/graph")

    /// The subscriptions of this engine: webhooks at ``endpoints`` unless `webhooks` is false.
    func subscriptions(webhooks: Bool = true) -> SubscriptionManager {
        SubscriptionManager(
            store: self.store,
            provider: self.provider,
            tokens: self.tokens,
            directory: self.directory,
            address: WebhookAddress(webhooks ? Self.endpoints : nil)
        )
    }

    /// The node's sync service on this engine.
    func syncService(schedule: SyncSchedule, webhooks: Bool = true, share: WorkShare? = nil) -> AccountSyncService {
        AccountSyncService(
            synchronizer: self.synchronizer,
            subscriptions: self.subscriptions(webhooks: webhooks),
            store: self.store,
            backplane: self.backplane,
            events: self.events,
            schedule: schedule,
            share: share,
            clock: self.clock,
            describe: { _ in "The provider did not answer." },
            logger: Logger(label: "engine")
        )
    }

    /// The doorbells of this engine, answered into `syncService`.
    func doorbells(for syncService: AccountSyncService) -> DoorbellService {
        DoorbellService(backplane: self.backplane, store: self.store, syncService: syncService, clock: self.clock, logger: Logger(label: "doorbells"))
    }

    /// The renewal service on this engine; `backfill` hears of accounts whose subscription was recreated.
    func renewalService(backfill: @escaping @Sendable (AccountID) async -> Void) -> SubscriptionRenewalService {
        SubscriptionRenewalService(
            subscriptions: self.subscriptions(),
            store: self.store,
            backplane: self.backplane,
            interval: .seconds(300),
            events: self.events,
            clock: self.clock,
            describe: { _ in "The provider did not answer." },
            logger: Logger(label: "engine"),
            backfill: backfill
        )
    }

    var processor: ChangeProcessor {
        ChangeProcessor(store: self.store, provider: self.provider, tokens: self.tokens, events: self.events)
    }

    /// The ids of the live messages the store holds for the account, by folder.
    func stored() async throws -> [String: Set<String>] {
        let page = try await self.store.messages(MessageQuery(accountID: self.account, limit: 1000))
        return Dictionary(grouping: page.messages, by: \.mailboxID).mapValues { Set($0.map(\.id)) }
    }

    /// Waits until `condition` holds, polling for at most 20 s: a state that never comes fails the test rather than
    /// hanging it.
    static func until(_ what: Comment, _ condition: @escaping @Sendable () -> Bool) async throws {
        let held = try await TestEnvironment.eventually { condition() }
        try #require(held, what)
    }

    static func tokens(expiresIn seconds: TimeInterval, access: String = "access") -> OAuthTokens {
        OAuthTokens(accessToken: access, refreshToken: "refresh", expiresAt: Date() + seconds, scope: "Mail.Read")
    }

    static func message(
        _ id: String,
        account: AccountID,
        mailbox: String = "inbox",
        subject: String = "Hello",
        modifiedAt: Int64 = 1_700_000_000_000,
        isRead: Bool = false
    ) -> Message {
        Message(
            accountID: account,
            id: id,
            mailboxID: mailbox,
            internetMessageID: "<\(id)@example.com>",
            conversationID: nil,
            subject: subject,
            from: EmailAddress(name: "Grace Hopper", address: "grace@example.net"),
            sender: nil,
            toRecipients: [],
            ccRecipients: [],
            receivedAt: modifiedAt,
            sentAt: nil,
            isRead: isRead,
            isDraft: false,
            flag: .notFlagged,
            importance: .normal,
            hasAttachments: false,
            bodyPreview: "",
            categories: [],
            // The key follows the content, as a provider's does: two states within one sequence get two keys.
            version: MessageVersion(sequence: modifiedAt, changeKey: "key-\(modifiedAt)-\(subject)-\(isRead)")
        )
    }
}
