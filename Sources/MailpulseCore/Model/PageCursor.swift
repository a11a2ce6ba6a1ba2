internal import Foundation

/// A position in the newest-first order of messages: the page after it starts strictly below it.
///
/// The order is `(receivedAt desc, id desc)`, a total order, so a cursor stays valid while messages
/// arrive: new rows sort above it and never shift the pages below.
public struct PageCursor: Sendable, Equatable, Hashable {
    /// The last row's received time, in milliseconds since 1970.
    public var receivedAt: Int64
    /// The last row's message id.
    public var messageID: String

    /// Creates a cursor after the given row.
    public init(receivedAt: Int64, messageID: String) {
        self.receivedAt = receivedAt
        self.messageID = messageID
    }

    /// The cursor after a message.
    public init(after message: Message) {
        self.init(receivedAt: message.receivedAt, messageID: message.id)
    }

    /// The opaque text form handed to API clients.
    public var token: String {
        Data("\(self.receivedAt):\(self.messageID)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Parses a token made by ``token``; `nil` when it is malformed.
    public init?(token: String) {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
            let colon = text.firstIndex(of: ":"), let receivedAt = Int64(text[..<colon])
        else { return nil }
        let messageID = String(text[text.index(after: colon)...])
        guard !messageID.isEmpty else { return nil }
        self.init(receivedAt: receivedAt, messageID: messageID)
    }
}
