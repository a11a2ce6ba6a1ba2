internal import Foundation
internal import IMAP
internal import MIME
public import MailpulseCore
internal import SMTP

/// Sending from an IMAP account: the message composed as MIME (a reply threaded by In-Reply-To and References, a
/// forward with the original's text and files), submitted over SMTP, then appended to the Sent folder, unless the
/// server keeps its own copy of what it sends (Gmail).
extension IMAPMailProvider {
    public func send(_ message: OutgoingMessage, from account: AccountID, accessToken: String) async throws {
        let credentials = try Self.credentials(accessToken)
        let sender = MIMEAddress(name: nil, address: Self.identity(credentials).address ?? credentials.username)
        var body = message.body
        var attachments = message.attachments.map { ComposedAttachment(fileName: $0.name, contentType: $0.contentType, bytes: Array($0.bytes)) }
        var inReplyTo: String?
        var references: [String] = []
        if let reference = message.reference {
            let id: String
            let replying: Bool
            switch reference {
            case .reply(let original): (id, replying) = (original, true)
            case .forward(let original): (id, replying) = (original, false)
            }
            guard let original = try await self.wholeMessage(id, of: account, accessToken: accessToken, threadHeadersOnly: replying) else {
                throw MailProviderError.notFound
            }
            switch reference {
            case .reply:
                inReplyTo = original.messageID
                references = original.references + [original.messageID].compactMap { $0 }
            case .forward:
                body = Self.forwarding(body, of: original)
                attachments += original.attachmentsWithBytes.filter { !$0.attachment.isInline }.map { file in
                    ComposedAttachment(
                        fileName: file.attachment.fileName ?? "attachment",
                        contentType: file.attachment.contentType,
                        bytes: file.bytes
                    )
                }
            }
        }
        let composed = ComposedMessage(
            from: sender,
            to: message.toRecipients.map(Self.mimeAddress),
            cc: message.ccRecipients.map(Self.mimeAddress),
            bcc: message.bccRecipients.map(Self.mimeAddress),
            subject: message.subject,
            body: body.contentType == .html ? .html(body.content) : .text(body.content),
            attachments: attachments,
            inReplyTo: inReplyTo,
            references: references
        )
        let bytes: [UInt8]
        do {
            bytes = try composed.render()
        } catch {
            throw MailProviderError.refused("the message cannot be written as MIME: \(error)")
        }
        let server = Self.submissionServer(of: credentials)
        try await self.submit(bytes, from: sender.address, to: composed.recipients, through: server, credentials: credentials)
        if !Self.keepsItsOwnSentCopy(server) {
            try await self.keepSentCopy(bytes, of: account, accessToken: accessToken)
        }
    }

    /// The account's submission server: its own settings, else the IMAP host's port 587 with STARTTLS.
    static func submissionServer(of credentials: ServerCredentials) -> SubmissionServer {
        credentials.smtp ?? SubmissionServer(host: credentials.host, port: 587, security: .starttls)
    }

    /// Gmail saves what its SMTP server sends in `[Gmail]/Sent Mail`: another copy would be a duplicate.
    static func keepsItsOwnSentCopy(_ server: SubmissionServer) -> Bool {
        let host = server.host.lowercased()
        return host == "smtp.gmail.com" || host.hasSuffix(".gmail.com") || host == "smtp.googlemail.com"
    }

    private func submit(
        _ bytes: [UInt8],
        from sender: String,
        to recipients: [String],
        through server: SubmissionServer,
        credentials: ServerCredentials
    )
        async throws
    {
        let address = "\(server.host):\(server.port)"
        do {
            let connection = try await SMTPConnection.connect(
                host: server.host,
                port: server.port,
                security: IMAPSession.security(server.security),
                trustRoots: self.configuration.trustRoots,
                timeout: self.configuration.timeout
            )
            defer { connection.close() }
            try await connection.authenticate(username: server.username ?? credentials.username, password: server.password ?? credentials.password)
            try await connection.send(bytes, from: sender, to: recipients)
            await connection.quit()
        } catch let error as SMTPError {
            switch error {
            case .authenticationFailed(let reply):
                throw MailProviderError.refused("the SMTP server at \(address) refused the sign-in: \(reply.text)")
            case .recipientsRefused(let refusals):
                let named = refusals.map { "\($0.recipient) (\($0.reply.text))" }.joined(separator: ", ")
                throw MailProviderError.refused("the SMTP server refused these recipients: \(named); nothing was sent")
            case .messageTooLarge(let size, let limit, _):
                throw MailProviderError.tooLarge("the message is \(size) bytes; the SMTP server takes at most \(limit.map(String.init) ?? "less")")
            case .rejected(let reply):
                throw MailProviderError.refused("the SMTP server at \(address) refused the message: \(reply.text)")
            case .authenticationUnavailable(let reason), .invalidArgument(let reason):
                throw MailProviderError.refused("the SMTP server at \(address): \(reason)")
            default:
                throw MailProviderError.unavailable("the SMTP server at \(address): \(error)")
            }
        }
    }

    /// Appends what was sent to the folder marked `\Sent` (else one named Sent), read.
    private func keepSentCopy(_ bytes: [UInt8], of account: AccountID, accessToken: String) async throws {
        try await self.withSession(account, accessToken: accessToken) { session in
            let listings = try await session.connection.mailboxes()
            // `append` takes the name as people read it and encodes it itself.
            let sent =
                listings.first { $0.attributes.contains { $0.lowercased() == "\\sent" } }?.decodedName
                ?? listings.first { ["sent", "sent items", "sent messages"].contains($0.decodedName.lowercased()) }?.decodedName
                ?? "Sent"
            try await session.connection.append(bytes, to: sent, flags: ["\\Seen"])
        }
    }

    /// The forwarded message below the person's text, as mail clients write it.
    static func forwarding(_ body: MessageBody, of original: MIMEMessage) -> MessageBody {
        let lines = [
            "---------- Forwarded message ----------",
            "From: \(original.from.map(\.description).joined(separator: ", "))",
            "Date: \(original.date ?? "")",
            "Subject: \(original.subject)",
            "To: \(original.to.map(\.description).joined(separator: ", "))",
        ]
        let quoted = original.body
        switch body.contentType {
        case .text:
            let text = quoted.map { $0.contentType == "html" ? HTMLText.plainText($0.content) : $0.content } ?? ""
            return MessageBody(contentType: .text, content: body.content + "\n\n" + lines.joined(separator: "\n") + "\n\n" + text)
        case .html:
            let html = quoted.map { $0.contentType == "html" ? $0.content : "<pre>\(HTMLText.escaped($0.content))</pre>" } ?? ""
            let header = lines.map(HTMLText.escaped).joined(separator: "<br>")
            return MessageBody(contentType: .html, content: body.content + "<hr><p>\(header)</p>" + html)
        }
    }

    private static func mimeAddress(_ address: EmailAddress) -> MIMEAddress {
        MIMEAddress(name: address.name.isEmpty ? nil : address.name, address: address.address)
    }
}
