internal import NIOCore
internal import NIOSSL
internal import Synchronization

/// TLS for mail connections (IMAP, SMTP): the client context for a choice of trust roots, the handler that speaks TLS
/// to one host, and a description a person can act on of what went wrong.
enum MailTLS {
    /// The contexts made so far, by trust roots: reading the system's store of authorities costs a few milliseconds,
    /// which every connection would otherwise pay. (A PEM file is read once per process.)
    private static let contexts = Mutex<[MailTrustRoots: NIOSSLContext]>([:])

    /// A client context with full verification (chain and host name) against `trustRoots`, made once per process.
    static func context(trusting trustRoots: MailTrustRoots) throws -> NIOSSLContext {
        if let made = Self.contexts.withLock({ $0[trustRoots] }) { return made }
        let made = try Self.makeContext(trusting: trustRoots)
        Self.contexts.withLock { $0[trustRoots] = made }
        return made
    }

    private static func makeContext(trusting trustRoots: MailTrustRoots) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .fullVerification
        switch trustRoots {
        case .system:
            configuration.trustRoots = .default
        case .certificates(let pemFile):
            let certificates: [NIOSSLCertificate]
            do {
                certificates = try NIOSSLCertificate.fromPEMFile(pemFile)
            } catch {
                throw MailTransportError.tlsFailed("cannot read the certificates to trust in \(pemFile): \(error)")
            }
            guard !certificates.isEmpty else { throw MailTransportError.tlsFailed("\(pemFile) holds no PEM certificate to trust") }
            configuration.trustRoots = .certificates(certificates)
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw MailTransportError.tlsFailed("cannot set up TLS: \(error)")
        }
    }

    /// The handler that speaks TLS to `host`: SNI and the certificate's DNS names for a host name; for an IP address
    /// (never sent as SNI) the certificate's IP address entries, matched against the address connected to.
    static func handler(context: NIOSSLContext, host: String) throws -> NIOSSLClientHandler {
        let isAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
        do {
            return try NIOSSLClientHandler(context: context, serverHostname: isAddress ? nil : host)
        } catch {
            throw MailTransportError.tlsFailed("\(host) cannot be checked against a certificate: \(error)")
        }
    }

    /// What a TLS failure means, for ``MailTransportError/tlsFailed(_:)``; `nil` when `error` is no TLS failure (a
    /// connection closed without TLS's closing message is a closed connection like any other). `ports` says which ports
    /// the protocol usually uses, for a server that does not speak TLS.
    static func failureDescription(of error: any Error, host: String, port: Int, ports: String) -> String? {
        if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname {
            return "the certificate of \(host) is not issued for \(host): connect by a name or address the certificate lists"
        }
        if error is NIOSSLExtraError || error is BoringSSLError {
            return "the TLS handshake with \(host):\(port) failed: \(error)"
        }
        guard let failure = error as? NIOSSLError, failure != .uncleanShutdown else { return nil }
        guard case .handshakeFailed(let reason) = failure else { return "TLS with \(host):\(port) failed: \(failure)" }
        let reasons = Self.reasons(reason)
        if reasons.contains("CERTIFICATE_VERIFY_FAILED") {
            return "the certificate of \(host) is not trusted: \(reasons.joined(separator: ", ")) (self-signed, expired, or issued by an "
                + "authority outside the trust roots; trust its authority with MailTrustRoots.certificates(pemFile:))"
        }
        // A plain-text server reads the handshake as a bad command and hangs up, or answers in text TLS cannot read.
        let notTLS = ["EOF during handshake", "WRONG_VERSION_NUMBER", "UNEXPECTED_RECORD", "HTTP_REQUEST", "PACKET_LENGTH_TOO_LONG"]
        if reasons.contains(where: notTLS.contains) {
            return "\(host):\(port) does not speak TLS (\(reasons.joined(separator: ", "))): is it a plain-text port? \(ports)"
        }
        return "the TLS handshake with \(host):\(port) failed: \(reasons.isEmpty ? "\(reason)" : reasons.joined(separator: ", "))"
    }

    /// BoringSSL's reason names in an error (`CERTIFICATE_VERIFY_FAILED`, …), without codes and source paths.
    private static func reasons(_ error: BoringSSLError) -> [String] {
        let stack: NIOBoringSSLErrorStack
        switch error {
        case .sslError(let errors), .unknownError(let errors), .invalidSNIName(let errors), .failedToSetALPN(let errors): stack = errors
        default: return ["\(error)"]
        }
        // Each reads `Error: <code> error:<hex>:<library>:<function>:<REASON> at <file>:<line>`.
        return stack.compactMap { entry in
            let text = "\(entry)"
            let beforeSource = text.firstRange(of: " at ").map { text[..<$0.lowerBound] } ?? text[...]
            return beforeSource.split(separator: ":").last.map { String($0.drop { $0 == " " }) }
        }
    }
}
