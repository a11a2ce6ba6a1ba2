/// One address of an ENVELOPE: display name, mailbox and host (the source route is obsolete and dropped).
public struct IMAPAddress: Sendable, Equatable {
    /// The display name as sent (RFC 2047 encoded words are decoded by the MIME module's `EncodedWords`).
    public var name: String?
    /// The local part.
    public var mailbox: String?
    /// The domain.
    public var host: String?

    /// Creates an address.
    public init(name: String?, mailbox: String?, host: String?) {
        self.name = name
        self.mailbox = mailbox
        self.host = host
    }

    /// `mailbox@host`, when both are there.
    public var address: String? {
        guard let mailbox, let host else { return nil }
        return "\(mailbox)@\(host)"
    }
}
