internal import Foundation
public import MailpulseCore
internal import MicrosoftGraph

extension OutlookProvider {
    public func content(of message: String, of account: AccountID, accessToken: String) async throws -> MessageContent? {
        do {
            return try await Self.mapped {
                let item = try await self.graph.messageContent(message, accessToken: accessToken)
                let body = MessageBody(
                    contentType: BodyContentType(rawValue: item.body?.contentType?.lowercased() ?? "") ?? .text,
                    content: item.body?.content ?? ""
                )
                return MessageContent(
                    body: body,
                    bccRecipients: (item.bccRecipients ?? []).compactMap(Self.address),
                    attachments: (item.attachments ?? []).map { attachment in
                        AttachmentInfo(
                            id: attachment.id,
                            name: attachment.name ?? "",
                            contentType: attachment.contentType ?? "application/octet-stream",
                            size: max(attachment.size ?? 0, 0),
                            isInline: attachment.isInline ?? false
                        )
                    }
                )
            }
        } catch MailProviderError.notFound {
            return nil
        }
    }

    public func attachment(_ id: String, of message: String, of account: AccountID, limit: Int, accessToken: String) async throws -> AttachmentData? {
        do {
            return try await Self.mapped {
                let described = try await self.graph.attachment(id, of: message, accessToken: accessToken)
                let size = described.size ?? 0
                guard size <= limit else {
                    throw MailProviderError.tooLarge("the attachment is \(size) bytes; at most \(limit) are served")
                }
                let bytes = try await self.graph.attachmentBytes(id, of: message, accessToken: accessToken)
                guard bytes.count <= limit else {
                    throw MailProviderError.tooLarge("the attachment is \(bytes.count) bytes; at most \(limit) are served")
                }
                return AttachmentData(
                    name: described.name ?? "attachment",
                    contentType: described.contentType ?? "application/octet-stream",
                    bytes: bytes
                )
            }
        } catch MailProviderError.notFound {
            return nil
        }
    }
}
