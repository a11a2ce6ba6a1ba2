public import Logging
public import MailpulseCore
public import ServiceLifecycle

/// The folders' doorbells: a hint processed for a message rings the folders it touched (where the message is now and
/// where it was), and once the burst has settled, one node runs a delta round of each rung folder. A notification is a
/// hint and may be dropped, duplicated or reordered; the delta round is the truth, so whatever went wrong in an active
/// folder is repaired seconds after the activity stops instead of at the next scheduled round.
///
/// The doorbells live on the backplane, so a burst of notifications spread over every node's workers still costs one
/// round per folder. Half a minute after an account's rounds, a follow-up round reads every folder once more: the last
/// change of a burst whose notification was lost, in a folder no other notification touched, is found there instead of
/// at the scheduled round.
public final class DoorbellService: Service, CustomStringConvertible {
    /// How long a folder stays quiet before its round runs.
    public let settle: Duration
    /// The longest a folder that keeps changing waits for its round.
    public let patience: Duration
    /// How long after a burst's rounds every folder of the account gets one more.
    public let followUp: Duration
    private let backplane: any Backplane
    private let store: any MailStore
    private let syncService: AccountSyncService
    private let interval: Duration
    private let clock: any Clock<Duration>
    private let logger: Logger

    /// Doorbells answered every `interval` on `clock`, the backplane's, for accounts `store` still holds.
    public init(
        backplane: any Backplane,
        store: any MailStore,
        syncService: AccountSyncService,
        settle: Duration = .seconds(2),
        patience: Duration = .seconds(10),
        followUp: Duration = .seconds(30),
        interval: Duration = .milliseconds(500),
        clock: any Clock<Duration> = ContinuousClock(),
        logger: Logger
    ) {
        self.backplane = backplane
        self.store = store
        self.syncService = syncService
        self.settle = settle
        self.patience = patience
        self.followUp = followUp
        self.interval = interval
        self.clock = clock
        self.logger = logger
    }

    public var description: String { "DoorbellService" }

    /// Rings the doorbells of folders of accounts. A failure is logged, not thrown: the change it follows is stored,
    /// and the scheduled round repairs what this one would have.
    public func ring(_ folders: [AccountID: Set<String>]) async {
        let keys = folders.flatMap { account, mailboxes in mailboxes.map { Self.key(account, $0) } }
        guard !keys.isEmpty else { return }
        do {
            try await self.backplane.ringDoorbells(keys, settle: self.settle, patience: self.patience)
        } catch {
            self.logger.warning("Doorbells not rung", metadata: ["error.type": "\(error)"])
        }
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await self.clock.sleep(for: self.interval)
                } catch {
                    return
                }
                await self.answer()
            }
        }
    }

    /// Answers the doorbells that are due now (the service does every `interval`): one round per account, of its rung
    /// folders. Each account answered also rings its follow-up: a round of every folder `followUp` later (a change
    /// whose notification was lost, in a folder no other notification touched, is found there).
    public func answer() async {
        do {
            var due: [AccountID: Set<String>] = [:]
            var followUps: Set<AccountID> = []
            for key in try await self.backplane.answerDoorbells(limit: 1_000) {
                switch Self.parse(key) {
                case .folder(let account, let mailbox)?: due[account, default: []].insert(mailbox)
                case .followUp(let account)?: followUps.insert(account)
                case nil: continue
                }
            }
            // A doorbell rung just before its account was deleted rings for nobody.
            for account in Set(due.keys).union(followUps) where try await self.store.account(account) == nil {
                due[account] = nil
                followUps.remove(account)
            }
            for (account, folders) in due {
                self.syncService.requestRound(account, folders: folders)
            }
            for account in followUps {
                self.syncService.requestBackfill(account)
            }
            let accounts = due.keys.filter { !followUps.contains($0) }.map { "followup:\($0)" }
            try await self.backplane.ringDoorbells(accounts, settle: self.followUp, patience: self.followUp)
        } catch {
            self.logger.warning("Doorbells not answered", metadata: ["error.type": "\(error)"])
        }
    }

    /// The beginnings of every doorbell name of an account: for silencing them when it is deleted.
    public static func namePrefixes(of account: AccountID) -> [String] {
        ["doorbell:\(account):", "followup:\(account)"]
    }

    /// What a doorbell's name says.
    private enum Doorbell {
        case folder(AccountID, String)
        case followUp(AccountID)
    }

    /// The backplane's name of a folder's doorbell: `doorbell:<account>:<folder>` (an account id holds no colon).
    public static func key(_ account: AccountID, _ mailbox: String) -> String {
        "doorbell:\(account):\(mailbox)"
    }

    private static func parse(_ key: String) -> Doorbell? {
        let parts = key.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, let account = AccountID(String(parts[1])) else { return nil }
        switch parts[0] {
        case "doorbell" where parts.count == 3 && !parts[2].isEmpty: return .folder(account, String(parts[2]))
        case "followup" where parts.count == 2: return .followUp(account)
        default: return nil
        }
    }
}
