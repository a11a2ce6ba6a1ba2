/// An untagged response (`* …`).
public enum UntaggedResponse: Sendable, Equatable {
    /// `* OK|NO|BAD|BYE|PREAUTH [code] text`.
    case status(IMAPStatus)
    /// `* CAPABILITY …`, uppercased.
    case capability([String])
    /// `* ENABLED …`, uppercased.
    case enabled([String])
    /// `* LIST (attributes) delimiter name`, the name as the server sent it (modified UTF-7).
    case list(IMAPMailboxListing)
    /// `* STATUS mailbox (ITEM n …)`, items uppercased.
    case mailboxStatus(mailbox: String, [String: UInt64])
    /// `* n EXISTS`.
    case exists(UInt32)
    /// `* n RECENT`.
    case recent(UInt32)
    /// `* n EXPUNGE`.
    case expunge(UInt32)
    /// `* n FETCH (…)`.
    case fetch(sequence: UInt32, IMAPMessageAttributes)
    /// `* SEARCH n …` with RFC 7162's `(MODSEQ n)` when present.
    case search([UInt32], modSequence: UInt64?)
    /// `* ESEARCH …` (RFC 4731): the matching set (`ALL`, absent when nothing matched) and `COUNT`, when returned.
    case extendedSearch(all: UIDSet?, count: UInt32?)
    /// `* VANISHED [(EARLIER)] uid-set`.
    case vanished(earlier: Bool, UIDSet)
    /// `* FLAGS (…)`.
    case flags([String])
    /// Anything else, by its keyword: read and ignored.
    case other(String)
}
