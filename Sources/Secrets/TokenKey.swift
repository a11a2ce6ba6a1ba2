public import Crypto
internal import Foundation

/// The 256-bit key that seals tokens at rest.
public struct TokenKey: Sendable {
    /// The key itself.
    public let symmetricKey: SymmetricKey

    /// A key from its base64 text (32 bytes once decoded).
    public init(base64: String) throws {
        guard let data = Data(base64Encoded: base64.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32 else {
            throw SecretsError.invalidKey("the token key must be 32 bytes in base64 (for example: openssl rand -base64 32)")
        }
        self.symmetricKey = SymmetricKey(data: data)
    }

    private init(symmetricKey: SymmetricKey) {
        self.symmetricKey = symmetricKey
    }

    /// A new random key.
    public static func random() -> TokenKey {
        TokenKey(symmetricKey: SymmetricKey(size: .bits256))
    }

    /// The key in a file, created with a random key and mode 0600 when the file does not exist.
    public static func loadOrCreate(at path: String) throws -> TokenKey {
        let manager = FileManager.default
        if !manager.fileExists(atPath: path) {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            do {
                try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw SecretsError.keyFile("cannot create \(folder): \(error.localizedDescription)")
            }
            let key = TokenKey.random().symmetricKey.withUnsafeBytes { Data($0).base64EncodedString() }
            // Created with its final mode, so the key is never readable by others, not even for an instant.
            guard manager.createFile(atPath: path, contents: Data((key + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
                throw SecretsError.keyFile("cannot write \(path)")
            }
        }
        guard let data = manager.contents(atPath: path) else {
            throw SecretsError.keyFile("cannot read \(path)")
        }
        do {
            return try TokenKey(base64: String(decoding: data, as: UTF8.self))
        } catch {
            throw SecretsError.invalidKey("\(path) does not hold a 32-byte base64 key")
        }
    }
}
