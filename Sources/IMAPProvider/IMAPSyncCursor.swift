internal import Foundation
internal import IMAP

/// Where a folder's sync stands, kept by the engine as its checkpoint (during the initial sync) or cursor (between
/// delta rounds): the folder's UIDVALIDITY, the mod-sequence the next round starts after, the UIDs the mirror was given
/// (to find expunges on servers without QRESYNC), and during the initial sync the UID below which pages are still due.
struct IMAPSyncCursor: Codable, Equatable {
    /// The folder's UIDVALIDITY: when the server's differs, every UID is void and the folder starts over.
    var uidValidity: UInt32
    /// The folder's HIGHESTMODSEQ when the round began (0 without CONDSTORE).
    var modSequence: UInt64
    /// The UIDs of the folder when the round began, as an IMAP set (`1:500,502`).
    var known: String
    /// During the initial sync: the pages still due are of the UIDs below this one (newest first).
    var below: UInt32?

    private enum CodingKeys: String, CodingKey {
        case uidValidity = "v"
        case modSequence = "m"
        case known = "k"
        case below = "b"
    }

    /// A cursor over `uids` (ascending).
    init(uidValidity: UInt32, modSequence: UInt64, uids: [UInt32], below: UInt32?) {
        self.uidValidity = uidValidity
        self.modSequence = modSequence
        self.known = UIDSet(ascending: uids).description
        self.below = below
    }

    /// Reads a cursor this adapter wrote; `nil` for anything else (a cursor of another version restarts the folder).
    init?(text: String) {
        guard text.hasPrefix("imap1:"), let cursor = try? JSONDecoder().decode(Self.self, from: Data(text.utf8.dropFirst(6))) else { return nil }
        guard cursor.known.isEmpty || UIDSet(cursor.known) != nil else { return nil }
        self = cursor
    }

    /// The cursor as the engine keeps it.
    var text: String {
        "imap1:" + String(decoding: (try? JSONEncoder().encode(self)) ?? Data(), as: UTF8.self)
    }

    /// The known UIDs, ascending.
    var uids: [UInt32] {
        guard let set = UIDSet(self.known) else { return [] }
        return set.ranges.flatMap { Array($0) }.sorted()
    }
}
