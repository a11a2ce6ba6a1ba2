internal import Foundation
internal import MailpulseCore

/// One scope's sync state as a document of the sync-states index.
struct SyncStateDocument: Codable {
    var accountId: String
    var scope: String
    var cursor: String?
    var checkpoint: String?
    var pagesStored: Int
    var messagesStored: Int
    var completedAt: Int64?

    init(_ state: SyncState) {
        self.accountId = state.accountID.description
        self.scope = state.scope.description
        self.cursor = state.cursor
        self.checkpoint = state.checkpoint
        self.pagesStored = state.pagesStored
        self.messagesStored = state.messagesStored
        self.completedAt = state.completedAt?.millisecondsSince1970
    }

    func state(of account: AccountID) -> SyncState? {
        guard let scope = SyncScope(self.scope) else { return nil }
        return SyncState(
            accountID: account,
            scope: scope,
            cursor: self.cursor,
            checkpoint: self.checkpoint,
            pagesStored: self.pagesStored,
            messagesStored: self.messagesStored,
            completedAt: self.completedAt.map(Date.init(millisecondsSince1970:))
        )
    }
}
