internal import Foundation

/// The content of a message about to be stored: what a seed, the control API, `sendMail`, a reply or a forward
/// give; ``SimulatedMailbox/insert(folderID:draft:receivedAt:)`` adds the ids, times and change key.
struct MessageDraft: Sendable {
    var subject = ""
    var body = MessageBody.empty
    var from = Recipient(name: "Sender", address: "sender@example.com")
    /// `nil`: the mailbox owner, as for mail delivered to them.
    var toRecipients: [Recipient]?
    var ccRecipients: [Recipient] = []
    var bccRecipients: [Recipient] = []
    var replyTo: [Recipient] = []
    /// Their ids are given when stored.
    var attachments: [SimulatedAttachment] = []
    var isRead = false
    var isDraft = false
    /// `nil`: a new one.
    var internetMessageID: String?
    /// `nil`: a new conversation.
    var conversationID: String?
}
