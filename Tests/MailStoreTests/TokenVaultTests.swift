import Foundation
import MailpulseCore
import SQLiteStore
import Secrets
import TestSupport
import Testing

@Suite struct TokenVaultTests {
    let tokens = OAuthTokens(
        accessToken: "EwBwA8l6BAAUplaintext-access-token-0123456789",
        refreshToken: "M.C105_BAY.plaintext-refresh-token-9876543210",
        expiresAt: Date(timeIntervalSince1970: 1_800_000_000),
        scope: "offline_access User.Read Mail.Read"
    )

    @Test func tokensRoundTripAndNoPlaintextReachesTheSQLiteFiles() async throws {
        let folder = try TestEnvironment.temporaryDirectory()
        let path = folder.appendingPathComponent("mail.sqlite").path
        let store = try SQLiteMailStore(path: path)
        try await store.prepare()
        let account = MailFixtures.account()
        try await store.createAccount(account)
        let vault = AESGCMTokenVault(key: .random(), store: store)

        try await vault.store(self.tokens, for: account.id)
        #expect(try await vault.tokens(for: account.id) == self.tokens)

        // Whatever SQLite wrote (main file, write-ahead log), no token and no part of one is readable in it.
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("mail.sqlite") }
        #expect(files.contains("mail.sqlite-wal") || files.contains("mail.sqlite"))
        for file in files {
            let bytes = try Data(contentsOf: folder.appendingPathComponent(file))
            for secret in [self.tokens.accessToken, self.tokens.refreshToken!, "plaintext"] {
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(file) contains \(secret.prefix(8))…")
            }
        }

        try await vault.remove(for: account.id)
        #expect(try await vault.tokens(for: account.id) == nil)
    }

    @Test func sealedTokensOpenOnlyForTheirAccountAndKey() throws {
        let store = try SQLiteMailStore(path: try TestEnvironment.temporaryDirectory().appendingPathComponent("m.sqlite").path)
        let vault = AESGCMTokenVault(key: .random(), store: store)
        let alice = AccountID.random()
        let sealed = try vault.seal(self.tokens, for: alice)
        #expect(try vault.open(sealed, for: alice) == self.tokens)
        #expect(throws: SecretsError.sealedDataCorrupt("")) { try vault.open(sealed, for: .random()) }
        #expect(throws: SecretsError.sealedDataCorrupt("")) {
            try AESGCMTokenVault(key: .random(), store: store).open(sealed, for: alice)
        }
        var tampered = sealed
        tampered[tampered.count - 1] ^= 1
        #expect(throws: SecretsError.sealedDataCorrupt("")) { try vault.open(tampered, for: alice) }
        // Each seal uses a fresh nonce.
        #expect(try vault.seal(self.tokens, for: alice) != sealed)
    }

    @Test func aGeneratedKeyFileIsPrivateAndReused() throws {
        let path = try TestEnvironment.temporaryDirectory().appendingPathComponent("keys/token.key").path
        let first = try TokenKey.loadOrCreate(at: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let second = try TokenKey.loadOrCreate(at: path)
        #expect(first.symmetricKey == second.symmetricKey)
    }

    @Test(arguments: ["", "not base64!", "c2hvcnQ=", Data(count: 31).base64EncodedString()])
    func keysThatAreNot32BytesAreRefused(_ text: String) {
        #expect(throws: SecretsError.invalidKey("")) { try TokenKey(base64: text) }
    }

    @Test func aKeyFileWithGarbageIsRefused() throws {
        let path = try TestEnvironment.temporaryDirectory().appendingPathComponent("token.key").path
        FileManager.default.createFile(atPath: path, contents: Data("garbage".utf8), attributes: [.posixPermissions: 0o600])
        #expect(throws: SecretsError.invalidKey("")) { try TokenKey.loadOrCreate(at: path) }
    }

    @Test(arguments: [0o644, 0o640, 0o604, 0o660])
    func aKeyFileOthersMayReadIsRefused(_ mode: Int) throws {
        let path = try TestEnvironment.temporaryDirectory().appendingPathComponent("token.key").path
        let key = Data(repeating: 7, count: 32).base64EncodedString()
        FileManager.default.createFile(atPath: path, contents: Data(key.utf8), attributes: [.posixPermissions: mode])
        #expect(throws: SecretsError.keyFile("")) { try TokenKey.loadOrCreate(at: path) }
    }
}
