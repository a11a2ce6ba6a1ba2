public import Crypto
internal import Foundation

#if canImport(Glibc)
internal import Glibc
#endif

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

    /// The key in a file, created with a random key when the file does not exist. The file is created with mode 0600
    /// in the same call that creates it (`O_CREAT | O_EXCL`), so the key is never readable by others, not even for an
    /// instant; an existing file that group or others may read or write is refused, as is a file that cannot be made.
    public static func loadOrCreate(at path: String) throws -> TokenKey {
        let manager = FileManager.default
        if !manager.fileExists(atPath: path) {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            do {
                try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw SecretsError.keyFile("cannot create \(folder): \(error.localizedDescription)")
            }
            try Self.create(at: path)
        }
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw SecretsError.keyFile("cannot read \(path)")
        }
        guard status.st_mode & 0o077 == 0 else {
            throw SecretsError.keyFile(
                "\(path) may be read by other users (mode \(String(status.st_mode & 0o777, radix: 8))): run chmod 600 \(path), or move the key to TOKEN_KEY"
            )
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

    /// Writes a new random key to a file that must not exist yet, created with mode 0600.
    private static func create(at path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor < 0 {
            // Another process created it first: read that one.
            if errno == EEXIST { return }
            throw SecretsError.keyFile("cannot create \(path): errno \(errno)")
        }
        defer { close(descriptor) }
        let key = TokenKey.random().symmetricKey.withUnsafeBytes { Data($0).base64EncodedString() } + "\n"
        let written = key.utf8CString.withUnsafeBufferPointer { buffer in
            write(descriptor, buffer.baseAddress, buffer.count - 1)
        }
        guard written == key.utf8.count, fsync(descriptor) == 0 else {
            throw SecretsError.keyFile("cannot write \(path): errno \(errno)")
        }
    }
}
