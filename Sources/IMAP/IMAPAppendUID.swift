/// Where an appended message went, as UIDPLUS's `APPENDUID` (RFC 4315) says: the mailbox's UIDVALIDITY and the UID.
public struct IMAPAppendUID: Sendable, Hashable {
    /// The mailbox's UIDVALIDITY.
    public var uidValidity: UInt32
    /// The message's UID in it.
    public var uid: UInt32

    /// A message's place.
    public init(uidValidity: UInt32, uid: UInt32) {
        self.uidValidity = uidValidity
        self.uid = uid
    }
}
