/// What an SMTP connection reports to its caller. Codes and text are the server's, where it answered.
public enum SMTPError: Error, Equatable, CustomStringConvertible {
    /// The server could not be reached (refused, unknown host, timed out while connecting).
    case unreachable(String)
    /// The connection closed (or the server said 421, closing).
    case closed(String)
    /// The server took longer than the timeout to answer.
    case timedOut
    /// TLS could not be set up: a failed handshake, a certificate not trusted or not issued for the host, a server
    /// without STARTTLS (the connection never goes on in plain text). The text says which, and what to check.
    case tlsFailed(String)
    /// The server refused the credentials or token (535, 534…).
    case authenticationFailed(SMTPReply)
    /// The server offers no way to sign in that the client speaks: what it offers.
    case authenticationUnavailable(String)
    /// Recipients the server refused; nothing was sent.
    case recipientsRefused([SMTPRecipientRefusal])
    /// The message is larger than the server takes: refused locally against EHLO's SIZE (`reply` `nil`) or by the
    /// server (552). `size` is the message's, `limit` the server's announced one, when known.
    case messageTooLarge(size: Int, limit: Int?, reply: SMTPReply?)
    /// A 4xx reply: the server cannot now, and the same may succeed later.
    case temporaryFailure(SMTPReply)
    /// Another permanent refusal (5xx): the reply.
    case rejected(SMTPReply)
    /// The server sent what is no SMTP reply, or one longer than ``SMTPLimits`` allow.
    case malformed(String)
    /// A value the client cannot send as given (a line break in an address, …).
    case invalidArgument(String)

    /// Whether trying again later may succeed: a 4xx reply (a 4xx refusal of every recipient too), a timeout, a
    /// connection that dropped or could not be made.
    public var isRetryable: Bool {
        switch self {
        case .temporaryFailure, .timedOut, .closed, .unreachable: true
        case .recipientsRefused(let refusals): !refusals.isEmpty && refusals.allSatisfy(\.reply.isTransient)
        default: false
        }
    }

    public var description: String {
        switch self {
        case .unreachable(let reason): "SMTP server unreachable: \(reason)"
        case .closed(let reason): "SMTP connection closed: \(reason)"
        case .timedOut: "SMTP server did not answer in time"
        case .tlsFailed(let reason): "no secure SMTP connection: \(reason)"
        case .authenticationFailed(let reply): "SMTP server refused the sign-in: \(reply)"
        case .authenticationUnavailable(let offered): "SMTP server offers no sign-in the client speaks (it offers: \(offered))"
        case .recipientsRefused(let refusals): "SMTP server refused recipients: \(refusals.map(\.description).joined(separator: "; "))"
        case .messageTooLarge(let size, let limit, let reply):
            "the message of \(size) bytes is too large for the SMTP server"
                + (limit.map { " (it takes at most \($0) bytes)" } ?? "") + (reply.map { ": \($0)" } ?? "")
        case .temporaryFailure(let reply): "SMTP server failed for now (try again later): \(reply)"
        case .rejected(let reply): "SMTP server refused: \(reply)"
        case .malformed(let reason): "SMTP server sent a malformed reply: \(reason)"
        case .invalidArgument(let reason): "cannot send to the SMTP server: \(reason)"
        }
    }
}
