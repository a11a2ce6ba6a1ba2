/// What an IMAP connection reports to its caller.
public enum IMAPError: Error, Equatable, CustomStringConvertible {
    /// The server could not be reached (refused, unknown host, timed out while connecting).
    case unreachable(String)
    /// The server closed the connection (or said BYE).
    case closed(String)
    /// The server took longer than the timeout to answer.
    case timedOut
    /// A command ended in NO or BAD: the server's text.
    case refused(IMAPStatus)
    /// The server sent what the parser cannot read.
    case malformed(String)
    /// A value the client cannot put in a command as given (a line break in a user name, …).
    case invalidArgument(String)
    /// TLS could not be set up: a failed handshake, a certificate not trusted or not issued for the host, a server
    /// without STARTTLS. The text says which, and what to check.
    case tlsFailed(String)
    /// A message is larger than the caller's limit (or the connection's ``IMAPLimits``): its size and the limit, in bytes.
    case tooLarge(size: Int, limit: Int)
    /// The selected mailbox holds no message with this UID (any more).
    case messageNotFound(uid: UInt32)

    public var description: String {
        switch self {
        case .unreachable(let reason): "IMAP server unreachable: \(reason)"
        case .closed(let reason): "IMAP connection closed: \(reason)"
        case .timedOut: "IMAP server did not answer in time"
        case .refused(let status): "IMAP server answered \(status.kind.rawValue): \(status.text)"
        case .malformed(let reason): "IMAP server sent a malformed response: \(reason)"
        case .invalidArgument(let reason): "cannot send to the IMAP server: \(reason)"
        case .tlsFailed(let reason): "no secure IMAP connection: \(reason)"
        case .tooLarge(let size, let limit): "the message of \(size) bytes is larger than the \(limit) bytes allowed"
        case .messageNotFound(let uid): "the mailbox holds no message with UID \(uid)"
        }
    }
}
