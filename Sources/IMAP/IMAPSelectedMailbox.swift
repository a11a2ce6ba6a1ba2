/// What SELECT (or EXAMINE) said of a mailbox: how sync knows whether its UIDs still hold and what changed.
public struct IMAPSelectedMailbox: Sendable, Equatable {
    /// UIDVALIDITY: when it changes, every UID the client knew of this mailbox is void.
    public var uidValidity: UInt32
    /// The UID the next message will get.
    public var uidNext: UInt32?
    /// CONDSTORE's HIGHESTMODSEQ; `nil` when the server keeps no mod-sequences for the mailbox.
    public var highestModSequence: UInt64?
    /// How many messages it holds.
    public var exists: UInt32
    /// QRESYNC's VANISHED (EARLIER): UIDs expunged since the mod-sequence the client gave.
    public var vanished: [UIDSet]
    /// QRESYNC's FETCHes of the messages changed since then.
    public var changed: [IMAPMessageAttributes]

    /// Reads the untagged responses of a SELECT; `nil` when they name no UIDVALIDITY (which a server must send).
    init?(_ responses: [UntaggedResponse]) {
        var uidValidity: UInt32?
        self.uidNext = nil
        self.highestModSequence = nil
        self.exists = 0
        self.vanished = []
        self.changed = []
        for response in responses {
            switch response {
            case .exists(let count): self.exists = count
            case .vanished(_, let set): self.vanished.append(set)
            case .fetch(_, let attributes): self.changed.append(attributes)
            case .status(let status):
                switch status.code {
                case .uidValidity(let value)?: uidValidity = value
                case .uidNext(let value)?: self.uidNext = value
                case .highestModSequence(let value)?: self.highestModSequence = value
                default: break
                }
            default: break
            }
        }
        guard let uidValidity else { return nil }
        self.uidValidity = uidValidity
    }
}
