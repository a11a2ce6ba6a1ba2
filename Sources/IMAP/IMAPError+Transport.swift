internal import MailTransport

extension IMAPError {
    /// The IMAP error for a failure of the connection under the protocol.
    init(_ error: MailTransportError) {
        switch error {
        case .unreachable(let reason): self = .unreachable(reason)
        case .closed(let reason): self = .closed(reason)
        case .timedOut: self = .timedOut
        case .tlsFailed(let reason): self = .tlsFailed(reason)
        }
    }
}
