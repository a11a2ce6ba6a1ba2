internal import IMAP
internal import MailpulseCore

/// One page of a folder's sync, on a session that selected the folder.
struct IMAPFolderRound {
    let session: IMAPSession
    let account: AccountID
    let folderID: String
    let selected: IMAPSelectedMailbox

    private var items: [String] { IMAPMessageMapping.items(self.session.capabilities) }

    /// A page of the initial sync, newest first: the `pageSize` highest UIDs below the checkpoint. The first page
    /// notes the folder's UIDs and mod-sequence, so the delta rounds after the initial sync find what changed
    /// meanwhile.
    func initialPage(from checkpoint: IMAPSyncCursor?, pageSize: Int) async throws -> MessageChanges {
        let uids: [UInt32]
        let modSequence: UInt64
        if let checkpoint {
            uids = checkpoint.uids
            modSequence = checkpoint.modSequence
        } else {
            uids = self.selected.exists == 0 ? [] : try await self.session.connection.allUIDs(exists: self.selected.exists)
            modSequence = self.selected.highestModSequence ?? 0
        }
        let below = checkpoint?.below ?? .max
        let due = uids.prefix { $0 < below }
        let page = Array(due.suffix(pageSize))
        let messages = try await self.fetch(page)
        // The folder's UIDs as the first page found them, written once and carried from page to page.
        var next = checkpoint ?? IMAPSyncCursor(uidValidity: self.selected.uidValidity, modSequence: modSequence, uids: uids, below: nil)
        guard let lowest = page.first, due.count > page.count else {
            next.below = nil
            return MessageChanges(upserts: messages, removed: [], nextLink: nil, cursor: next.text)
        }
        next.below = lowest
        return MessageChanges(upserts: messages, removed: [], nextLink: next.text, cursor: nil)
    }

    /// A delta round: what changed after the cursor's mod-sequence, and what left the folder.
    func delta(from cursor: IMAPSyncCursor) async throws -> MessageChanges {
        let known = cursor.uids
        let highest = self.selected.highestModSequence
        var current: [UInt32]
        var changed: [IMAPMessageAttributes] = []
        var removed: [UInt32] = []
        if let highest, self.session.qresync {
            current = known
            if highest != cursor.modSequence, self.selected.exists > 0 || !known.isEmpty {
                let changes = try await self.session.connection.changes(since: cursor.modSequence, items: self.items, vanished: true)
                changed = changes.changed
                removed = known.filter { uid in changes.vanished.contains { $0.contains(uid) } }
                let gone = Set(removed)
                current = Array(Set(known.filter { !gone.contains($0) }).union(changed.compactMap(\.uid))).sorted()
            }
        } else {
            current = self.selected.exists == 0 ? [] : try await self.session.connection.allUIDs(exists: self.selected.exists)
            let now = Set(current)
            removed = known.filter { !now.contains($0) }
            if self.selected.exists > 0 {
                if let highest {
                    if highest != cursor.modSequence {
                        changed = try await self.session.connection.changes(since: cursor.modSequence, items: self.items, vanished: false).changed
                    }
                } else {
                    // No mod-sequences: every message's state is read, and the engine keeps only what differs.
                    changed = try await self.session.connection.fetch(UIDSet(ascending: current), items: self.items)
                }
            }
        }
        let next = IMAPSyncCursor(uidValidity: self.selected.uidValidity, modSequence: highest ?? 0, uids: current, below: nil)
        return MessageChanges(
            upserts: changed.compactMap(self.message),
            removed: removed.map { IMAPMessageID(folderID: self.folderID, uidValidity: self.selected.uidValidity, uid: $0).description },
            nextLink: nil,
            cursor: next.text
        )
    }

    private func fetch(_ uids: [UInt32]) async throws -> [Message] {
        guard !uids.isEmpty else { return [] }
        let fetched = try await self.session.connection.fetch(UIDSet(ascending: uids), items: self.items)
        // Newest first, as the page was chosen.
        return fetched.compactMap(self.message).reversed()
    }

    private func message(_ attributes: IMAPMessageAttributes) -> Message? {
        IMAPMessageMapping.message(attributes, account: self.account, folderID: self.folderID, uidValidity: self.selected.uidValidity)
    }
}
