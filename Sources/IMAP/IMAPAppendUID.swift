/// Where an appended message went, as UIDPLUS's `APPENDUID` (RFC 4315) says: the mailbox's UIDVALIDITY and the UID.
public struct IMAPAppendUID: Sendable, Hashable {
    public var uidValidity: UInt32
    public var uid: UInt32

    /// A message's place.
    public init(uidValidity: UInt32, uid: UInt32) {
        self.uidValidity = uidValidity
        self.uid = uid
    }
}
