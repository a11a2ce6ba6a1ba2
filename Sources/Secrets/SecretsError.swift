/// An error of the token key or the token vault.
public struct SecretsError: Error, CustomStringConvertible, Equatable {
    private enum Code: Equatable {
        case invalidKey
        case keyFile
        case sealedDataCorrupt
    }

    private let code: Code
    /// What went wrong, for people; never contains key material or tokens.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The configured key is not 32 bytes of base64.
    public static func invalidKey(_ message: String) -> SecretsError { .init(.invalidKey, message) }
    /// The key file could not be read or written.
    public static func keyFile(_ message: String) -> SecretsError { .init(.keyFile, message) }
    /// Sealed tokens could not be opened: another key sealed them, or they were altered.
    public static func sealedDataCorrupt(_ message: String) -> SecretsError { .init(.sealedDataCorrupt, message) }

    public var description: String {
        "SecretsError.\(self.code): \(self.message)"
    }

    public static func == (lhs: SecretsError, rhs: SecretsError) -> Bool {
        lhs.code == rhs.code
    }
}
