/// Why a sign-in with a password failed, in words a person can act on. Nothing is stored when it does.
public enum SignInFailure: Error, Equatable, CustomStringConvertible {
    /// The server refused the user name or password.
    case credentialsRefused(String)
    /// The server could not be reached (unknown host, refused, timed out).
    case unreachable(String)
    /// The secure connection failed (an untrusted certificate, a wrong host name, no STARTTLS).
    case insecure(String)
    /// The settings are not allowed here (plain text to a host that is not this machine).
    case notAllowed(String)
    /// The server answered in a way Mailpulse cannot use.
    case failed(String)

    public var description: String {
        switch self {
        case .credentialsRefused(let reason): "the server refused the user name or password: \(reason)"
        case .unreachable(let reason): "the server could not be reached: \(reason)"
        case .insecure(let reason): "the secure connection failed: \(reason)"
        case .notAllowed(let reason): reason
        case .failed(let reason): "the server could not be used: \(reason)"
        }
    }
}
