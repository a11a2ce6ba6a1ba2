internal import Logging
internal import MailpulseCore

/// Until the sync engine exists, a linked account is only logged; the engine replaces this observer.
struct PendingSyncObserver: AccountLinkObserver {
    let logger: Logger

    func accountLinked(_ account: AccountID) async {
        self.logger.info("Account ready for sync", metadata: ["account.id": "\(account)"])
    }
}
