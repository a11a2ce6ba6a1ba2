public import MailpulseCore

/// What opening a message reads, read once: the content the store keeps, else the provider's, which is then kept
/// (and its body searched from then on).
public struct MessageContentSource: Sendable {
    private let store: any MailStore
    private let opener: any MailOpener
    private let tokens: AccessTokenSource

    /// A source reading through `opener` (rate limited) with the account's tokens from `tokens`.
    public init(store: any MailStore, opener: any MailOpener, tokens: AccessTokenSource) {
        self.store = store
        self.opener = opener
        self.tokens = tokens
    }

    /// The content of a message: kept, else read and kept; `nil` when the provider no longer has the message.
    public func content(of message: String, of account: AccountID) async throws -> MessageContent? {
        if let kept = try await self.store.content(of: message, of: account) { return kept }
        let read = try await self.tokens.withAccessToken(for: account) { token in
            try await self.opener.content(of: message, of: account, accessToken: token)
        }
        if let read { _ = try await self.store.saveContent(read, of: message, of: account) }
        return read
    }
}
