internal import Foundation
internal import MailpulseCore

/// What opening a message read, in the contents index: beside the message's document rather than in it, because a
/// message's writes replace its whole document (external versions take no partial updates).
struct ContentDocument: Codable {
    var accountId: String
    var id: String
    /// The body's words, searched; the content itself is kept, never indexed.
    var bodyText: String
    var content: MessageContent

    init(_ content: MessageContent, of message: String, of account: AccountID) {
        self.accountId = account.description
        self.id = message
        self.bodyText = content.searchableText
        self.content = content
    }
}
