internal import Foundation

extension MessageDraft {
    /// Why a message in a request body is refused.
    enum ParseFailure: Error, Equatable {
        /// A recipient without an address, or with one Exchange would not resolve.
        case invalidRecipient(String)
        /// `body.contentType` is neither `text` nor `html`.
        case invalidBodyType(String)
        /// An attachment's `contentBytes` is not base64.
        case invalidBase64
        /// An attachment that is not a `fileAttachment`, or a property of the wrong kind.
        case malformed(String)
    }

    /// The largest attachment the control API makes from a `size`.
    static let maximumGeneratedAttachmentSize = 10 << 20

    /// Reads a message object as Graph's `sendMail`, `reply` and `forward` take it (and the control API, which also
    /// takes `{"name", "address"}` recipients, attachments without `@odata.type` and attachments of a `size`).
    /// Properties not given stay as they are in `self`.
    mutating func read(_ message: JSONValue, lenient: Bool) throws(ParseFailure) {
        if let subject = message["subject"] {
            guard let text = subject.stringValue else { throw .malformed("subject must be a string") }
            self.subject = text
        }
        if let body = try Self.body(message["body"]) { self.body = body }
        if let to = try Self.recipients(message["toRecipients"]) { self.toRecipients = to }
        if let cc = try Self.recipients(message["ccRecipients"]) { self.ccRecipients = cc }
        if let bcc = try Self.recipients(message["bccRecipients"]) { self.bccRecipients = bcc }
        if let replyTo = try Self.recipients(message["replyTo"]) { self.replyTo = replyTo }
        if let attachments = try Self.attachments(message["attachments"], lenient: lenient) { self.attachments += attachments }
    }

    /// An `itemBody`, or `nil` when absent.
    static func body(_ value: JSONValue?) throws(ParseFailure) -> MessageBody? {
        guard let value, value != .null else { return nil }
        let typeName = value["contentType"]?.stringValue ?? "text"
        guard let type = MessageBody.ContentType(rawValue: typeName.lowercased()) else { throw .invalidBodyType(typeName) }
        if let content = value["content"], content.stringValue == nil, content != .null { throw .malformed("body.content must be a string") }
        return MessageBody(contentType: type, content: value["content"]?.stringValue ?? "")
    }

    /// A `recipient` collection, or `nil` when absent.
    static func recipients(_ value: JSONValue?) throws(ParseFailure) -> [Recipient]? {
        guard let value, value != .null else { return nil }
        guard let elements = value.arrayValue else { throw .malformed("recipients must be an array") }
        var recipients: [Recipient] = []
        for element in elements {
            let email = element["emailAddress"] ?? element
            guard let address = email["address"]?.stringValue?.trimmingCharacters(in: .whitespaces) else {
                throw .invalidRecipient("")
            }
            let recipient = Recipient(name: email["name"]?.stringValue ?? address, address: address)
            guard recipient.isWellFormed else { throw .invalidRecipient(address) }
            recipients.append(recipient)
        }
        return recipients
    }

    /// File attachments, or `nil` when absent; their ids are given when stored.
    static func attachments(_ value: JSONValue?, lenient: Bool) throws(ParseFailure) -> [SimulatedAttachment]? {
        guard let value, value != .null else { return nil }
        guard let elements = value.arrayValue else { throw .malformed("attachments must be an array") }
        var attachments: [SimulatedAttachment] = []
        for element in elements {
            let type = element["@odata.type"]?.stringValue?.lowercased()
            guard type == "#microsoft.graph.fileattachment" || type == "microsoft.graph.fileattachment" || (lenient && type == nil) else {
                throw .malformed("only #microsoft.graph.fileAttachment attachments are supported")
            }
            let bytes: Data
            if let text = element["contentBytes"]?.stringValue {
                guard let decoded = Data(base64Encoded: text) else { throw .invalidBase64 }
                bytes = decoded
            } else if lenient, let size = element["size"]?.numberValue {
                guard size >= 0, size <= Double(Self.maximumGeneratedAttachmentSize), size.rounded() == size else {
                    throw .malformed("size must be a whole number from 0 to \(Self.maximumGeneratedAttachmentSize)")
                }
                bytes = Data((0..<Int(size)).map { UInt8(truncatingIfNeeded: $0 % 251) })
            } else if element["contentBytes"] == nil || element["contentBytes"] == .null {
                bytes = Data()
            } else {
                throw .invalidBase64
            }
            if let isInline = element["isInline"], isInline.boolValue == nil, isInline != .null {
                throw .malformed("isInline must be a boolean")
            }
            attachments.append(
                SimulatedAttachment(
                    id: "",
                    name: element["name"]?.stringValue ?? "",
                    contentType: element["contentType"]?.stringValue ?? "application/octet-stream",
                    isInline: element["isInline"]?.boolValue ?? false,
                    contentID: element["contentId"]?.stringValue,
                    bytes: bytes,
                    lastModifiedAt: Date()
                )
            )
        }
        return attachments
    }
}
