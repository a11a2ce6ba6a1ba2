public import Logging
public import MailpulseCore
internal import Metrics
public import ServiceLifecycle

/// The notification workers of this node: each reads the change queue through the consumer group, merges the
/// entries of one message into one fetch, and acknowledges an entry only once its change is stored. Entries a dead
/// worker left unacknowledged are claimed after `claimIdle` by a claimer of the node's own.
public final class ChangeWorkerService: Service, CustomStringConvertible {
    /// Entries read at once by a worker.
    static let batchSize = 64
    /// Messages of a batch processed at once by a worker (the mailbox's leases bound what reaches the provider).
    static let parallelism = 8

    private let queue: any ChangeQueue
    private let store: any MailStore
    private let processor: ChangeProcessor
    private let subscriptions: SubscriptionManager
    private let syncService: AccountSyncService
    private let doorbells: DoorbellService
    private let events: any AccountEventPublisher
    private let workers: Int
    private let claimIdle: Duration
    private let consumerPrefix: String
    private let describe: @Sendable (any Error) -> String
    private let logger: Logger
    private let messages = KeyedSerializer()

    /// Creates `workers` workers named `consumerPrefix-N`; `describe` turns a failure into the sentence people read.
    public init(
        queue: any ChangeQueue,
        store: any MailStore,
        processor: ChangeProcessor,
        subscriptions: SubscriptionManager,
        syncService: AccountSyncService,
        doorbells: DoorbellService,
        events: any AccountEventPublisher,
        workers: Int,
        claimIdle: Duration,
        consumerPrefix: String,
        describe: @escaping @Sendable (any Error) -> String,
        logger: Logger
    ) {
        self.queue = queue
        self.store = store
        self.processor = processor
        self.subscriptions = subscriptions
        self.syncService = syncService
        self.doorbells = doorbells
        self.events = events
        self.workers = workers
        self.claimIdle = claimIdle
        self.consumerPrefix = consumerPrefix
        self.describe = describe
        self.logger = logger
    }

    public var description: String { "ChangeWorkerService" }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            for index in 0..<self.workers {
                group.addTask { await self.work(consumer: "\(self.consumerPrefix)-\(index)") }
            }
            if self.workers > 0 { group.addTask { await self.claim(consumer: "\(self.consumerPrefix)-claimer") } }
            try? await gracefulShutdown()
            group.cancelAll()
        }
    }

    private func work(consumer: String) async {
        while !Task.isCancelled {
            do {
                try await self.process(try await self.queue.receive(consumer: consumer, limit: Self.batchSize, wait: .seconds(1)))
            } catch is CancellationError {
                return
            } catch {
                self.logger.warning("Notification worker error", metadata: ["error.type": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Takes over the entries a dead worker (of any node) left unacknowledged for `claimIdle`, looking four times per
    /// `claimIdle`, and processes them: a consumer of its own, so a takeover never waits for a busy worker's batch.
    private func claim(consumer: String) async {
        while !Task.isCancelled {
            do {
                let batch = try await self.queue.claimAbandoned(consumer: consumer, idle: self.claimIdle, limit: Self.batchSize)
                guard !batch.isEmpty else {
                    try await Task.sleep(for: self.claimIdle / 4)
                    continue
                }
                self.logger.info("Claimed abandoned notifications", metadata: ["count": "\(batch.count)"])
                try await self.process(batch)
            } catch is CancellationError {
                return
            } catch {
                self.logger.warning("Notification claimer error", metadata: ["error.type": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Groups a batch by scope (a message, a folder, the account; lifecycle entries each alone) and processes the groups
    /// a few at a time.
    private func process(_ batch: [QueuedChange]) async throws {
        var groups: [String: [QueuedChange]] = [:]
        var order: [String] = []
        for change in batch {
            let key = change.hint.coalescingKey ?? change.entryID
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(change)
        }
        // The folders each group touched, whose doorbells ring once the batch is done.
        var touched: [AccountID: Set<String>] = [:]
        try await withThrowingTaskGroup(of: (AccountID, Set<String>).self) { group in
            var pending = order.makeIterator()
            for _ in 0..<Self.parallelism {
                guard let key = pending.next(), let changes = groups[key] else { break }
                group.addTask { try await self.handle(changes) }
            }
            while let (account, folders) = try await group.next() {
                touched[account, default: []].formUnion(folders)
                if let key = pending.next(), let changes = groups[key] {
                    group.addTask { try await self.handle(changes) }
                }
            }
        }
        await self.doorbells.ring(touched.filter { !$0.value.isEmpty })
        Counter(label: "mailpulse_notifications_processed_total").increment(by: batch.count)
        var processed: [AccountID: Int] = [:]
        for change in batch where change.hint.kind.isMessageChange {
            processed[change.hint.accountID, default: 0] += 1
        }
        // An account deleted meanwhile gets no event: its log in Redis is gone and must stay gone.
        for (account, count) in processed where try await self.store.account(account) != nil {
            await self.events.publish(.activity("Processed \(count) change notification\(count == 1 ? "" : "s")"), for: account)
        }
    }

    /// Handles the entries of one scope; answers the folders whose doorbells should ring.
    private func handle(_ changes: [QueuedChange]) async throws -> (AccountID, Set<String>) {
        let hint = changes[0].hint
        let account = hint.accountID
        var touched: Set<String> = []
        do {
            switch hint.scope {
            case .message(let messageID):
                touched = try await self.messages.run("\(account):\(messageID)") {
                    let merged = try await self.queue.begin(Self.merged(changes))
                    return try await self.processor.apply(messageID, of: account, kind: merged.kind, changeKey: merged.changeKey)
                }
            case .folder(let mailboxID):
                // Clears the coalescing key: hints for the folder from now on are queued again.
                _ = try await self.queue.begin(hint)
                touched = [mailboxID]
            case .account:
                _ = try await self.queue.begin(hint)
                fallthrough
            case .push:
                try await self.handleLifecycle(hint)
            }
        } catch is CancellationError {
            // Left unacknowledged: another worker claims the entries.
            throw CancellationError()
        } catch MailProviderError.reauthRequired {
            // The user must sign in again (or the account was deleted); the backfill after relinking catches up.
            self.logger.info("Notification dropped: account needs reauthentication", metadata: ["account.id": "\(account)"])
        } catch let error as MailStoreError where error.isNotFound {
            self.logger.info("Notification dropped: the account was deleted", metadata: ["account.id": "\(account)"])
        } catch {
            self.logger.warning(
                "Notification failed; dead-lettered, folder backfill scheduled",
                metadata: ["account.id": "\(account)", "error.type": "\(error)"]
            )
            for change in changes {
                try await self.queue.deadLetter(change, reason: "\(error)")
            }
            await self.events.publish(
                .activity("A change could not be applied; its folders are read again. \(self.describe(error))"),
                for: account
            )
            self.syncService.requestBackfill(account)
            return (account, [])
        }
        try await self.queue.acknowledge(changes)
        return (account, touched)
    }

    private func handleLifecycle(_ hint: ChangeHint) async throws {
        let account = hint.accountID
        self.logger.info("Lifecycle notification", metadata: ["account.id": "\(account)", "lifecycle.event": "\(hint.kind)"])
        await self.events.publish(.activity("Lifecycle event: \(hint.kind.rawValue)"), for: account)
        switch hint.kind {
        case .missed:
            self.syncService.requestBackfill(account)
        case .subscriptionRemoved:
            _ = try await self.subscriptions.subscribe(account)
            self.syncService.requestBackfill(account)
        case .reauthorizationRequired:
            if try await self.subscriptions.reauthorize(account) == .recreated {
                self.syncService.requestBackfill(account)
            }
        case .created, .updated, .deleted, .folderChanged:
            break
        }
    }

    /// The entries of one scope as one hint (``ChangeHint/joining(_:)``).
    private static func merged(_ changes: [QueuedChange]) -> ChangeHint {
        changes.dropFirst().reduce(changes[0].hint) { $0.joining($1.hint) }
    }
}
