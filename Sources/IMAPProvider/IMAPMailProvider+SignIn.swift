internal import IMAP
public import MailpulseCore

/// Linking with a password: a real sign-in before anything is stored.
extension IMAPMailProvider {
    public func signIn(_ credentials: ServerCredentials, kind: MailProviderKind) async throws -> (tokens: OAuthTokens, identity: AccountIdentity) {
        if credentials.security == .none, !self.configuration.allowPlaintext, !Self.isLoopback(credentials.host) {
            throw SignInFailure.notAllowed(
                "security \"none\" would send the password in plain text: use \"tls\" or \"starttls\" (plain text is allowed only to this "
                    + "machine unless IMAP_ALLOW_PLAINTEXT=true)"
            )
        }
        if let smtp = credentials.smtp, smtp.security == .none, !self.configuration.allowPlaintext, !Self.isLoopback(smtp.host) {
            throw SignInFailure.notAllowed(
                "smtp security \"none\" would send the password in plain text: use \"tls\" or \"starttls\" (plain text is allowed only "
                    + "to this machine unless IMAP_ALLOW_PLAINTEXT=true)"
            )
        }
        do {
            let session = try await IMAPSession.open(credentials, configuration: self.configuration, budget: self.pool.budget)
            session.close()
        } catch let error as IMAPError {
            throw Self.signInFailure(error, credentials)
        }
        return (try Self.tokens(of: credentials), Self.identity(credentials))
    }

    public func credentials(in tokens: OAuthTokens) -> ServerCredentials? {
        try? Self.credentials(tokens.accessToken)
    }

    /// Whether `host` names this machine.
    static func isLoopback(_ host: String) -> Bool {
        let lowered = host.lowercased()
        return lowered == "localhost" || lowered == "::1" || lowered == "[::1]"
            || lowered.hasPrefix("127.")
                && lowered.split(separator: ".").count == 4 && lowered.split(separator: ".").allSatisfy { UInt8($0) != nil }
    }

    private static func signInFailure(_ error: IMAPError, _ credentials: ServerCredentials) -> SignInFailure {
        let server = "\(credentials.host):\(credentials.port)"
        switch error {
        case .unreachable(let reason): return .unreachable("no IMAP server answered at \(server) (\(reason))")
        case .timedOut: return .unreachable("the IMAP server at \(server) did not answer in time")
        case .closed(let reason): return .failed("the IMAP server at \(server) closed the connection (\(reason))")
        case .refused(let status): return .credentialsRefused("\(server) answered: \(status.text)")
        case .malformed(let reason): return .failed("\(server) does not speak IMAP as expected (\(reason))")
        case .invalidArgument(let reason): return .failed(reason)
        case .tlsFailed(let reason): return .insecure(reason)
        case .tooLarge, .messageNotFound: return .failed(error.description)
        }
    }
}
