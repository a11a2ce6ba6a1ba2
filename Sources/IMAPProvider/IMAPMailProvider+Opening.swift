internal import Foundation
internal import IMAP
internal import MIME
public import MailpulseCore

/// Opening a message: the whole message by UID (bounded), read as MIME for its body to show and its attachments,
/// whose ids are the MIME part numbers.
extension IMAPMailProvider {
    public func content(of message: String, of account: AccountID, accessToken: String) async throws -> MessageContent? {
        guard let parsed = try await self.wholeMessage(message, of: account, accessToken: accessToken) else { return nil }
        let body = parsed.body.map { MessageBody(contentType: $0.contentType == "html" ? .html : .text, content: $0.content) }
        return MessageContent(
            body: body ?? MessageBody(contentType: .text, content: ""),
            bccRecipients: parsed.bcc.map(Self.address),
            attachments: parsed.attachments.map { attachment in
                AttachmentInfo(
                    id: attachment.id,
                    name: attachment.fileName ?? "attachment",
                    contentType: attachment.contentType,
                    size: attachment.size,
                    isInline: attachment.isInline
                )
            }
        )
    }

    public func attachment(_ id: String, of message: String, of account: AccountID, limit: Int, accessToken: String) async throws -> AttachmentData? {
        guard let parsed = try await self.wholeMessage(message, of: account, accessToken: accessToken),
            let (attachment, bytes) = parsed.attachment(id: id)
        else { return nil }
        guard bytes.count <= limit else {
            throw MailProviderError.tooLarge("the attachment is \(bytes.count) bytes; at most \(limit) are served")
        }
        return AttachmentData(name: attachment.fileName ?? "attachment", contentType: attachment.contentType, bytes: Data(bytes))
    }

    /// The message as MIME, or `nil` when its folder, UIDVALIDITY or UID no longer hold it. With `threadHeadersOnly`,
    /// only its Message-ID and References are read (what a reply needs), not the whole message.
    func wholeMessage(
        _ message: String,
        of account: AccountID,
        accessToken: String,
        threadHeadersOnly: Bool = false
    ) async throws -> MIMEMessage? {
        guard let identity = IMAPMessageID(message), let folder = IMAPFolderID.name(of: identity.folderID) else { return nil }
        let limit = self.configuration.maximumMessageBytes
        let bytes: [UInt8]? = try await self.withSession(account, accessToken: accessToken) { session in
            let selected: IMAPSelectedMailbox
            do {
                selected = try await session.connection.select(folder, readOnly: true)
            } catch IMAPError.refused {
                return nil
            }
            guard selected.uidValidity == identity.uidValidity else { return nil }
            if threadHeadersOnly {
                let fetched = try await session.connection.fetch(UIDSet([identity.uid...identity.uid]), items: [Self.threadHeaders])
                return fetched.first?.sections.first { $0.key.hasPrefix("BODY[HEADER") }?.value
            }
            do {
                return try await session.connection.fetchMessage(uid: identity.uid, maximumSize: limit)
            } catch IMAPError.messageNotFound {
                return nil
            } catch IMAPError.tooLarge(let size, let limit) {
                throw MailProviderError.tooLarge("the message is \(size) bytes; at most \(limit) are read")
            }
        }
        guard let bytes else { return nil }
        do {
            return try MIMEMessage(bytes, limits: MIMELimits(maximumSize: limit))
        } catch {
            throw MailProviderError.failed("the message could not be read as MIME: \(error)")
        }
    }

    /// The header fields a reply threads by.
    private static let threadHeaders = "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID REFERENCES)]"

    static func address(_ address: MIMEAddress) -> EmailAddress {
        EmailAddress(name: address.name ?? "", address: address.address)
    }
}
