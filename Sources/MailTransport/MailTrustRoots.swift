/// The certificates a TLS connection trusts to vouch for the server's certificate. Verification is always full: the
/// chain up to one of these, and the host name (or, for an IP address, the certificate's IP address entry).
public enum MailTrustRoots: Sendable, Hashable {
    /// The operating system's store of certificate authorities.
    case system
    /// Only the certificates in this PEM file (a private authority, or a server's self-signed certificate).
    case certificates(pemFile: String)
}
