/// The provider's version of a message: the write guard orders writes by it, with no clock of ours involved.
///
/// `sequence` is a number the provider raises with every change of the message (Graph: `lastModifiedDateTime` in
/// milliseconds since 1970; IMAP: MODSEQ within the folder's UIDVALIDITY). A higher sequence is newer. Two versions
/// with the same sequence are the same version when their change keys agree, and of unknown order when they differ
/// (Graph's times have second precision, so two changes within one second share one): the store refuses to guess
/// and answers ``WriteOutcome/unordered``, and the engine reads the message again to learn which is current.
public struct MessageVersion: Sendable, Equatable, Codable {
    /// The provider's ordering number of the change.
    public var sequence: Int64
    /// The provider's opaque change key: tells two versions of one sequence apart, carries no order.
    public var changeKey: String

    /// Creates a version.
    public init(sequence: Int64, changeKey: String) {
        self.sequence = sequence
        self.changeKey = changeKey
    }

    /// How an incoming version stands against a stored one.
    public func ordering(against stored: MessageVersion) -> VersionOrdering {
        if self.sequence != stored.sequence { return self.sequence > stored.sequence ? .newer : .older }
        return self.changeKey == stored.changeKey ? .same : .unordered
    }
}
