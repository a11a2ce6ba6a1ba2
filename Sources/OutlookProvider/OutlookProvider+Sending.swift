internal import Foundation
public import MailpulseCore
internal import MicrosoftGraph

extension OutlookProvider {
    public func send(_ message: OutgoingMessage, from account: AccountID, accessToken: String) async throws {
        let outgoing = GraphOutgoingMessage(
            subject: message.subject,
            body: GraphMessageContent.ItemBody(contentType: message.body.contentType.rawValue, content: message.body.content),
            toRecipients: message.toRecipients.map(Self.recipient),
            ccRecipients: message.ccRecipients.map(Self.recipient),
            bccRecipients: message.bccRecipients.map(Self.recipient),
            attachments: message.attachments.map { attachment in
                GraphOutgoingMessage.FileAttachment(
                    name: attachment.name,
                    contentType: attachment.contentType,
                    contentBytes: attachment.bytes.base64EncodedString()
                )
            }
        )
        try await Self.mapped {
            do {
                switch message.reference {
                case nil: try await self.graph.sendMail(outgoing, accessToken: accessToken)
                case .reply(let original): try await self.graph.respond(to: original, forwarding: false, with: outgoing, accessToken: accessToken)
                case .forward(let original): try await self.graph.respond(to: original, forwarding: true, with: outgoing, accessToken: accessToken)
                }
            } catch let error as GraphError where error.status == 403 {
                throw MailProviderError.permissionMissing("Graph refused to send (\(error.code)): link the account again to grant Mail.Send")
            } catch let error as GraphError where error.status == 400 || error.status == 413 {
                throw MailProviderError.refused("\(error.code): \(error.message)")
            }
        }
    }

    private static func recipient(_ address: EmailAddress) -> GraphOutgoingMessage.Recipient {
        GraphOutgoingMessage.Recipient(name: address.name, address: address.address)
    }
}
