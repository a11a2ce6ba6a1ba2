/// A message's ENVELOPE (RFC 3501 §7.4.2): its main header fields, parsed by the server.
public struct IMAPEnvelope: Sendable, Equatable {
    public var date: String?
    public var subject: String?
    public var from: [IMAPAddress]
    public var sender: [IMAPAddress]
    public var replyTo: [IMAPAddress]
    public var to: [IMAPAddress]
    public var cc: [IMAPAddress]
    public var bcc: [IMAPAddress]
    public var inReplyTo: String?
    public var messageID: String?

    /// Creates an envelope.
    public init(
        date: String? = nil,
        subject: String? = nil,
        from: [IMAPAddress] = [],
        sender: [IMAPAddress] = [],
        replyTo: [IMAPAddress] = [],
        to: [IMAPAddress] = [],
        cc: [IMAPAddress] = [],
        bcc: [IMAPAddress] = [],
        inReplyTo: String? = nil,
        messageID: String? = nil
    ) {
        self.date = date
        self.subject = subject
        self.from = from
        self.sender = sender
        self.replyTo = replyTo
        self.to = to
        self.cc = cc
        self.bcc = bcc
        self.inReplyTo = inReplyTo
        self.messageID = messageID
    }
}
