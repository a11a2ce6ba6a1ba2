internal import Crypto
public import Foundation
public import MailpulseCore

/// ``TokenVault`` that seals tokens with AES-256-GCM and keeps the sealed bytes in the ``MailStore``.
///
/// The account id is authenticated with each box, so sealed tokens copied onto another account do not open.
/// A sealed value is one format byte (1), then nonce, ciphertext and tag.
public struct AESGCMTokenVault: TokenVault {
    private static let formatVersion: UInt8 = 1

    private let key: SymmetricKey
    private let store: any MailStore

    /// Creates a vault over a store.
    public init(key: TokenKey, store: any MailStore) {
        self.key = key.symmetricKey
        self.store = store
    }

    public func store(_ tokens: OAuthTokens, for account: AccountID) async throws {
        try await self.store.saveSealedTokens(try self.seal(tokens, for: account), for: account)
    }

    public func tokens(for account: AccountID) async throws -> OAuthTokens? {
        guard let sealed = try await self.store.sealedTokens(for: account) else { return nil }
        return try self.open(sealed, for: account)
    }

    public func remove(for account: AccountID) async throws {
        try await self.store.saveSealedTokens(nil, for: account)
    }

    /// The sealed form of tokens bound to an account.
    public func seal(_ tokens: OAuthTokens, for account: AccountID) throws -> Data {
        let plaintext = try JSONEncoder().encode(tokens)
        let box = try AES.GCM.seal(plaintext, using: self.key, authenticating: Data(account.description.utf8))
        guard let combined = box.combined else {
            throw SecretsError.sealedDataCorrupt("AES-GCM produced no combined form")
        }
        return Data([Self.formatVersion]) + combined
    }

    /// Opens tokens sealed for an account.
    public func open(_ sealed: Data, for account: AccountID) throws -> OAuthTokens {
        guard sealed.first == Self.formatVersion else {
            throw SecretsError.sealedDataCorrupt("sealed tokens of \(account) have an unknown format")
        }
        do {
            let box = try AES.GCM.SealedBox(combined: sealed.dropFirst())
            let plaintext = try AES.GCM.open(box, using: self.key, authenticating: Data(account.description.utf8))
            return try JSONDecoder().decode(OAuthTokens.self, from: plaintext)
        } catch {
            throw SecretsError.sealedDataCorrupt("sealed tokens of \(account) do not open with this key")
        }
    }
}
