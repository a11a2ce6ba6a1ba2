/// A recipient the server refused at RCPT TO, with the server's reply.
public struct SMTPRecipientRefusal: Sendable, Equatable, CustomStringConvertible {
    /// The address as sent.
    public var recipient: String
    /// The server's reply (`550 5.1.1 no such user`; a 4xx one may succeed later).
    public var reply: SMTPReply

    /// A refusal.
    public init(recipient: String, reply: SMTPReply) {
        self.recipient = recipient
        self.reply = reply
    }

    public var description: String {
        "\(self.recipient): \(self.reply)"
    }
}
