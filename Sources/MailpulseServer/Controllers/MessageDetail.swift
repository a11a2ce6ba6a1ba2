internal import Hummingbird
internal import MailpulseCore

/// `GET /api/accounts/{id}/messages/{messageId}` answer: the message as the list gives it, with its content beside.
struct MessageDetail: ResponseEncodable {
    private enum CodingKeys: String, CodingKey {
        case body, bccRecipients, attachments
    }

    var message: Message
    var content: MessageContent

    func encode(to encoder: any Encoder) throws {
        try self.message.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.content.body, forKey: .body)
        try container.encode(self.content.bccRecipients, forKey: .bccRecipients)
        try container.encode(self.content.attachments, forKey: .attachments)
    }
}
