public import MailpulseCore

extension IMAPMailProvider {
    public func content(of message: String, of account: AccountID, accessToken: String) async throws -> MessageContent? {
        throw MailProviderError.failed("not yet")
    }

    public func attachment(_ id: String, of message: String, of account: AccountID, limit: Int, accessToken: String) async throws -> AttachmentData? {
        throw MailProviderError.failed("not yet")
    }

    public func send(_ message: OutgoingMessage, from account: AccountID, accessToken: String) async throws {
        throw MailProviderError.failed("not yet")
    }
}
