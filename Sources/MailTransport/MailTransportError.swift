/// How a connection failed below the mail protocol; IMAP and SMTP report each as their own error.
package enum MailTransportError: Error, Equatable {
    /// The server could not be reached (refused, unknown host, timed out while connecting).
    case unreachable(String)
    /// The connection closed.
    case closed(String)
    /// The server took longer than the timeout to answer.
    case timedOut
    /// TLS could not be set up: the text says why, and what to check.
    case tlsFailed(String)
}
