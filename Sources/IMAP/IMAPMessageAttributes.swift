/// What a FETCH response said of one message; each is `nil` when the response did not carry it (a FETCH sent while
/// idle carries only what changed, often FLAGS and MODSEQ).
public struct IMAPMessageAttributes: Sendable, Equatable {
    public var uid: UInt32?
    public var flags: [String]?
    public var modSequence: UInt64?
    /// INTERNALDATE as sent (`17-Jul-1996 02:44:25 -0700`).
    public var internalDate: String?
    public var size: UInt32?
    public var envelope: IMAPEnvelope?
    /// RFC 8970's PREVIEW.
    public var preview: String?
    /// Body sections by name as sent (`BODY[1]`, `BODY[TEXT]<0>`).
    public var sections: [String: [UInt8]]
    /// Gmail's X-GM-MSGID.
    public var gmailMessageID: UInt64?
    /// Gmail's X-GM-THRID.
    public var gmailThreadID: UInt64?
    /// Gmail's X-GM-LABELS.
    public var gmailLabels: [String]?

    /// Nothing yet.
    public init() {
        self.sections = [:]
    }
}
