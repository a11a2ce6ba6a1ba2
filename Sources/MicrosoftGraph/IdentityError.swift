/// An error answer of the token endpoint (`error`, `error_description`, `error_codes`), or a transport failure.
public struct IdentityError: Error, CustomStringConvertible, Sendable {
    /// The HTTP status; 0 when no response arrived.
    public let status: Int
    /// The OAuth `error` value, such as `invalid_grant`.
    public let error: String
    /// The AADSTS codes.
    public let codes: [Int]
    /// The first line of `error_description` (it never holds a token).
    public let message: String

    /// Creates an error.
    public init(status: Int, error: String, codes: [Int], message: String) {
        self.status = status
        self.error = error
        self.codes = codes
        self.message = message
    }

    /// The grant is dead (expired, revoked, spent): the user must sign in again.
    public var isInvalidGrant: Bool {
        self.error == "invalid_grant"
    }

    public var description: String {
        "IdentityError(\(self.status) \(self.error) \(self.codes)): \(self.message)"
    }
}
