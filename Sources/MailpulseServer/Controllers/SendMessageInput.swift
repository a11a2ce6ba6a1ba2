internal import Foundation
internal import Hummingbird
internal import MailpulseCore

/// The body of `POST /api/accounts/{id}/messages/send`, checked field by field: ``message(replyingTo:)`` throws a 400
/// naming the first field that is wrong, so nothing is sent from bad input.
struct SendMessageInput: Decodable {
    struct Recipient: Decodable {
        var name: String?
        var address: String
    }

    struct Body: Decodable {
        var contentType: String
        var content: String
    }

    struct Attachment: Decodable {
        var name: String
        var contentType: String?
        var contentBase64: String
    }

    var to: [Recipient]?
    var cc: [Recipient]?
    var bcc: [Recipient]?
    var subject: String?
    var body: Body?
    var attachments: [Attachment]?
    var replyTo: String?
    var forward: String?

    /// The most recipients (To, Cc and Bcc together) of one message.
    static let maximumRecipients = 100
    /// The most attachments of one message.
    static let maximumAttachments = 20
    /// The most attachment bytes of one message: Graph takes at most 4 MB in one request, and base64 makes 3 MB of
    /// files into 4 MB of JSON. Larger files need an upload session, which Mailpulse does not open.
    static let maximumAttachmentBytes = 3 * 1024 * 1024
    /// The largest request body: the attachments in base64, the body and the rest.
    static let maximumRequestBytes = Self.maximumAttachmentBytes / 3 * 4 + Self.maximumBodyBytes + 64 * 1024
    /// The longest subject (a header line's limit).
    static let maximumSubjectLength = 998
    /// The longest body, in UTF-8 bytes.
    static let maximumBodyBytes = 1024 * 1024

    /// The id of the message this one replies to or forwards, if any.
    func referencedID() throws -> String? {
        if self.replyTo != nil && self.forward != nil {
            throw Self.invalid("replyTo and forward cannot both be set")
        }
        return self.replyTo ?? self.forward
    }

    /// The message to send. A reply without recipients goes to the author of `original`.
    func message(original: Message?) throws -> OutgoingMessage {
        var to = try Self.recipients(self.to, field: "to")
        let cc = try Self.recipients(self.cc, field: "cc")
        let bcc = try Self.recipients(self.bcc, field: "bcc")
        if to.isEmpty, cc.isEmpty, bcc.isEmpty, self.replyTo != nil, let author = original?.from {
            to = [author]
        }
        guard !(to.isEmpty && cc.isEmpty && bcc.isEmpty) else {
            throw Self.invalid("the message needs at least one recipient in to, cc or bcc")
        }
        guard to.count + cc.count + bcc.count <= Self.maximumRecipients else {
            throw Self.invalid("a message has at most \(Self.maximumRecipients) recipients (to, cc and bcc together)")
        }
        let subject = self.subject ?? ""
        guard subject.count <= Self.maximumSubjectLength, !Self.breaksLines(subject) else {
            throw Self.invalid("subject must be one line of at most \(Self.maximumSubjectLength) characters")
        }
        let body = try self.checkedBody()
        let attachments = try self.checkedAttachments()
        let reference: OutgoingReference? = self.replyTo.map { .reply(to: $0) } ?? self.forward.map { .forward(of: $0) }
        return OutgoingMessage(
            toRecipients: to,
            ccRecipients: cc,
            bccRecipients: bcc,
            subject: subject,
            body: body,
            attachments: attachments,
            reference: reference
        )
    }

    private func checkedBody() throws -> MessageBody {
        guard let body = self.body else { return MessageBody(contentType: .text, content: "") }
        guard let type = BodyContentType(rawValue: body.contentType.lowercased()) else {
            throw Self.invalid("body.contentType must be \"html\" or \"text\"")
        }
        guard body.content.utf8.count <= Self.maximumBodyBytes else {
            throw Self.invalid("body.content must be at most \(Self.maximumBodyBytes) bytes")
        }
        return MessageBody(contentType: type, content: body.content)
    }

    private func checkedAttachments() throws -> [AttachmentData] {
        let attachments = self.attachments ?? []
        guard attachments.count <= Self.maximumAttachments else {
            throw Self.invalid("a message has at most \(Self.maximumAttachments) attachments")
        }
        var total = 0
        return try attachments.enumerated().map { index, attachment in
            let field = "attachments[\(index)]"
            guard (1...255).contains(attachment.name.count),
                !attachment.name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
            else { throw Self.invalid("\(field).name must be 1 to 255 characters, without control characters") }
            let type = attachment.contentType ?? "application/octet-stream"
            guard Self.isMediaType(type) else {
                throw Self.invalid("\(field).contentType must be a media type such as application/pdf")
            }
            // A base64 text longer than this cannot decode within the limit: refused before decoding.
            guard attachment.contentBase64.utf8.count <= (Self.maximumAttachmentBytes / 3 + 1) * 4,
                let bytes = Data(base64Encoded: attachment.contentBase64)
            else {
                throw Self.invalid("\(field).contentBase64 must be base64 of at most \(Self.maximumAttachmentBytes) bytes")
            }
            total += bytes.count
            guard total <= Self.maximumAttachmentBytes else {
                throw HTTPError(
                    .contentTooLarge,
                    message:
                        "attachments may total at most \(Self.maximumAttachmentBytes) bytes (Graph's 4 MB request limit); larger files are not sent"
                )
            }
            return AttachmentData(name: attachment.name, contentType: type, bytes: bytes)
        }
    }

    private static func recipients(_ list: [Recipient]?, field: String) throws -> [EmailAddress] {
        guard let list else { return [] }
        guard list.count <= Self.maximumRecipients else {
            throw Self.invalid("\(field) has more than \(Self.maximumRecipients) recipients")
        }
        return try list.enumerated().map { index, recipient in
            let address = recipient.address.trimmingCharacters(in: .whitespaces)
            guard Self.isAddress(address) else {
                throw Self.invalid("\(field)[\(index)].address is not an email address: \(String(address.prefix(80)).debugDescription)")
            }
            let name = recipient.name ?? ""
            guard name.count <= 256, !Self.breaksLines(name) else {
                throw Self.invalid("\(field)[\(index)].name must be one line of at most 256 characters")
            }
            return EmailAddress(name: name, address: address)
        }
    }

    /// `local@domain`: one `@`, a dot-free-or-dotted domain of letters, digits and hyphens, nothing that would end a
    /// header or an SMTP command.
    static func isAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard text.utf8.count <= 254, parts.count == 2, let local = parts.first, let domain = parts.last,
            (1...64).contains(local.utf8.count), !domain.isEmpty
        else { return false }
        let localAllowed = Set("!#$%&'*+-/=?^_`{|}~.")
        guard local.allSatisfy({ $0.isLetter || $0.isNumber || localAllowed.contains($0) }), local.first != ".", local.last != "." else {
            return false
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            (1...63).contains(label.utf8.count) && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
        }
    }

    /// Whether `text` is a plain `type/subtype` (RFC 6838's characters, no parameters).
    static func isMediaType(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        let token = { (part: Substring) in
            !part.isEmpty && part.count <= 127 && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "!#$&^_.+-".contains($0)) }
        }
        return parts.count == 2 && token(parts[0]) && token(parts[1])
    }

    private static func breaksLines(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0 == "\r" || $0 == "\n" || $0 == "\0" }
    }

    private static func invalid(_ message: String) -> HTTPError {
        HTTPError(.badRequest, message: message)
    }
}
