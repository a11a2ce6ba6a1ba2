internal import Foundation
internal import MIME

extension GraphAPI {
    // MARK: Attachments

    /// `GET messages/{id}/attachments[/{attachmentId}[/$value]]`, `lowered` starting at `messages`.
    func attachments(_ mailbox: SimulatedMailbox, segments: [String], lowered: [String], request: GraphRequest, requestID: String) -> GraphResponse {
        guard let message = mailbox.message(segments[1]) else { return Self.itemNotFound(requestID) }
        let select: [String]?
        switch Self.select(request, properties: SimulatedAttachment.propertyNames, typeName: "Microsoft.OutlookServices.FileAttachment") {
        case .failure(let error): return .error(400, code: "RequestBroker--ParseUri", message: error.message, requestID: requestID)
        case .success(let value): select = value
        }
        let id = request.wantsImmutableIDs ? message.immutableID : message.restID
        let context = "https://graph.microsoft.com/v1.0/$metadata#users('\(mailbox.id)')/messages('\(id)')/attachments"
        guard lowered.count > 3 else {
            return .json(.object([("@odata.context", .string(context)), ("value", .array(message.attachments.map { $0.json(select: select) }))]))
        }
        guard let attachment = message.attachments.first(where: { $0.id == segments[3] }) else { return Self.itemNotFound(requestID) }
        if lowered.count == 5 {
            return .raw(attachment.bytes, contentType: attachment.contentType)
        }
        return .json(.object([("@odata.context", .string(context + "/$entity"))] + Self.members(attachment.json(select: select))))
    }

    /// Graph's 404 for an id the mailbox does not hold (a message, a folder, an attachment).
    static func itemNotFound(_ requestID: String) -> GraphResponse {
        .error(404, code: "ErrorItemNotFound", message: "The specified object was not found in the store.", requestID: requestID)
    }

    // MARK: Sending

    /// The mail actions: `POST sendMail` and `POST messages/{id}/{reply|replyAll|forward|createReply|createReplyAll|
    /// createForward|send}`, `lowered` starting after the user.
    func mailAction(
        _ mailbox: SimulatedMailbox,
        segments: [String],
        lowered: [String],
        request: GraphRequest,
        requestID: String
    ) async -> GraphResponse {
        if lowered == ["sendmail"] {
            return await self.sendMail(mailbox, request: request, requestID: requestID)
        }
        guard lowered.count == 3, lowered[0] == "messages" else {
            return .error(405, code: "ErrorInvalidRequest", message: "The OData request is not supported.", requestID: requestID)
        }
        guard let original = mailbox.message(segments[1]) else { return Self.itemNotFound(requestID) }
        let action = lowered[2]
        if action == "send" {
            return await self.sendDraft(mailbox, draft: original, requestID: requestID)
        }
        let kinds: [String: (ResponseKind, Bool)] = [
            "reply": (.reply, false), "replyall": (.replyAll, false), "forward": (.forward, false),
            "createreply": (.reply, true), "createreplyall": (.replyAll, true), "createforward": (.forward, true),
        ]
        guard let (kind, createsDraft) = kinds[action] else {
            return .error(400, code: "BadRequest", message: "Resource not found for the segment '\(segments[2])'.", requestID: requestID)
        }
        let draft: MessageDraft
        switch self.response(kind, to: original, in: mailbox, request: request, requestID: requestID) {
        case .failure(let error): return error.response
        case .success(let value): draft = value
        }
        guard createsDraft else {
            await self.send(from: mailbox, draft, saveToSentItems: true)
            return .empty(202)
        }
        var stored = draft
        stored.from = Recipient(name: mailbox.displayName, address: mailbox.address)
        stored.isDraft = true
        stored.isRead = true
        guard let (message, pending) = await self.state.addMessage(mailbox.id, folder: "drafts", draft: stored) else {
            return Self.itemNotFound(requestID)
        }
        await self.dispatcher.enqueue(pending)
        let id = request.wantsImmutableIDs ? message.immutableID : message.restID
        let context: [(String, JSONValue)] = [
            ("@odata.context", .string("https://graph.microsoft.com/v1.0/$metadata#users('\(mailbox.id)')/messages/$entity"))
        ]
        return .json(.object(context + Self.members(message.json(id: id, select: nil, withODataType: false))), status: 201)
    }

    /// A request refused, as the response to give.
    struct Refusal: Error {
        let response: GraphResponse
    }

    private func sendMail(_ mailbox: SimulatedMailbox, request: GraphRequest, requestID: String) async -> GraphResponse {
        guard let body = JSONValue.parse(request.body), case .object = body else { return Self.unreadableBody(requestID) }
        guard let message = body["message"], case .object = message else {
            return .error(400, code: "ErrorInvalidParameter", message: "The value of the parameter 'Message' is empty.", requestID: requestID)
        }
        let saveToSentItems: Bool
        switch body["saveToSentItems"] {
        case nil, .null?: saveToSentItems = true
        case .bool(let value)?: saveToSentItems = value
        // OData reads the strings "true" and "false" as booleans too.
        case .string(let text)? where ["true", "false"].contains(text.lowercased()): saveToSentItems = text.lowercased() == "true"
        default: return Self.unreadableBody(requestID)
        }
        var draft = MessageDraft(toRecipients: [])
        do {
            try draft.read(message, lenient: false)
        } catch {
            return Self.refusal(error, requestID: requestID).response
        }
        if let refusal = Self.checkRecipients(draft, requestID: requestID) { return refusal.response }
        await self.send(from: mailbox, draft, saveToSentItems: saveToSentItems)
        return .empty(202)
    }

    private func sendDraft(_ mailbox: SimulatedMailbox, draft message: SimulatedMessage, requestID: String) async -> GraphResponse {
        guard message.isDraft else {
            return .error(400, code: "ErrorInvalidOperation", message: "Only draft messages can be sent.", requestID: requestID)
        }
        let draft = MessageDraft(
            subject: message.subject,
            body: message.body,
            toRecipients: message.toRecipients,
            ccRecipients: message.ccRecipients,
            bccRecipients: message.bccRecipients,
            replyTo: message.replyTo,
            attachments: message.attachments,
            conversationID: message.conversationID
        )
        if let refusal = Self.checkRecipients(draft, requestID: requestID) { return refusal.response }
        // The draft leaves Drafts as its sent copy lands in Sent Items.
        if let (_, pending) = await self.state.deleteMessage(mailbox.id, messageID: message.immutableID) {
            await self.dispatcher.enqueue(pending)
        }
        await self.send(from: mailbox, draft, saveToSentItems: true)
        return .empty(202)
    }

    /// Sends through the state's one path for new messages, then hands the notifications to the dispatcher.
    private func send(from mailbox: SimulatedMailbox, _ draft: MessageDraft, saveToSentItems: Bool) async {
        let (_, pending) = await self.state.send(from: mailbox.id, draft: draft, saveToSentItems: saveToSentItems)
        await self.dispatcher.enqueue(pending)
    }

    private static func checkRecipients(_ draft: MessageDraft, requestID: String) -> Refusal? {
        guard (draft.toRecipients ?? []).isEmpty, draft.ccRecipients.isEmpty, draft.bccRecipients.isEmpty else { return nil }
        return Refusal(
            response: .error(
                400,
                code: "ErrorInvalidRecipients",
                message: "At least one recipient isn't valid., A message can't be sent because it contains no recipients.",
                requestID: requestID
            )
        )
    }

    private static func unreadableBody(_ requestID: String) -> GraphResponse {
        .error(400, code: "UnableToDeserializePostBody", message: "were unable to deserialize ", requestID: requestID)
    }

    private static func refusal(_ failure: MessageDraft.ParseFailure, requestID: String) -> Refusal {
        let response: GraphResponse
        switch failure {
        case .invalidRecipient(let address):
            response = .error(
                400,
                code: "ErrorInvalidRecipients",
                message:
                    "At least one recipient isn't valid., Recipient '\(address)' isn't resolved. All recipients must be resolved before a message can be submitted.",
                requestID: requestID
            )
        case .invalidBodyType(let type):
            response = .error(400, code: "RequestBodyRead", message: "Requested value '\(type)' was not found.", requestID: requestID)
        case .invalidBase64:
            response = .error(
                400,
                code: "ErrorMimeContentInvalidBase64String",
                message: "Invalid base64 string for MIME content.",
                requestID: requestID
            )
        case .malformed(let message):
            response = .error(400, code: "BadRequest", message: message, requestID: requestID)
        }
        return Refusal(response: response)
    }

    // MARK: Reply and forward

    /// What a response to a message is.
    enum ResponseKind {
        case reply
        case replyAll
        case forward
    }

    /// The message a reply, reply-all or forward sends: to the original's sender (its `replyTo` when set; the original's
    /// recipients when the user sent it), subject prefixed once, same conversation, the comment or `message.body` above
    /// the quoted original, and for a forward the original's attachments.
    private func response(
        _ kind: ResponseKind,
        to original: SimulatedMessage,
        in mailbox: SimulatedMailbox,
        request: GraphRequest,
        requestID: String
    ) -> Result<MessageDraft, Refusal> {
        let body: JSONValue
        if request.body.isEmpty {
            body = .object([])
        } else {
            guard let parsed = JSONValue.parse(request.body), case .object = parsed else {
                return .failure(Refusal(response: Self.unreadableBody(requestID)))
            }
            body = parsed
        }
        if let comment = body["comment"], comment.stringValue == nil, comment != .null {
            return .failure(Refusal(response: Self.unreadableBody(requestID)))
        }
        let comment = body["comment"]?.stringValue
        let message = body["message"].flatMap { $0 == .null ? nil : $0 }
        if let message, message.isObject == false {
            return .failure(Refusal(response: Self.unreadableBody(requestID)))
        }
        if comment != nil, message?["body"].map({ $0 != .null }) ?? false {
            return .failure(
                Refusal(
                    response: .error(
                        400,
                        code: "ErrorInvalidRequest",
                        message: "Specify either a comment or the body property of the message parameter, not both.",
                        requestID: requestID
                    )
                )
            )
        }
        let me = mailbox.address
        var draft = MessageDraft(conversationID: original.conversationID)
        let prefix = kind == .forward ? "FW: " : "RE: "
        let alreadyPrefixed = original.subject.uppercased().hasPrefix(prefix.uppercased())
        draft.subject = alreadyPrefixed ? original.subject : prefix + original.subject
        let sentByMe = original.from.isSameAddress(me)
        switch kind {
        case .reply:
            draft.toRecipients = sentByMe ? original.toRecipients : (original.replyTo.isEmpty ? [original.from] : original.replyTo)
        case .replyAll:
            let sender = sentByMe ? [] : (original.replyTo.isEmpty ? [original.from] : original.replyTo)
            draft.toRecipients = Self.unique(sender + original.toRecipients, excluding: sentByMe ? nil : me)
            draft.ccRecipients = Self.unique(original.ccRecipients, excluding: me)
        case .forward:
            draft.attachments = original.attachments
            do {
                let given = try MessageDraft.recipients(body["toRecipients"])
                let inMessage = try MessageDraft.recipients(message?["toRecipients"])
                guard (given == nil) != (inMessage == nil) else {
                    let both = given != nil
                    return .failure(
                        Refusal(
                            response: .error(
                                400,
                                code: both ? "ErrorInvalidRequest" : "ErrorInvalidRecipients",
                                message: both
                                    ? "Specify either the toRecipients parameter or the toRecipients property of the message parameter, not both."
                                    : "At least one recipient isn't valid., A message can't be sent because it contains no recipients.",
                                requestID: requestID
                            )
                        )
                    )
                }
                draft.toRecipients = given
            } catch {
                return .failure(Self.refusal(error, requestID: requestID))
            }
        }
        if let message {
            do {
                try draft.read(message, lenient: false)
            } catch {
                return .failure(Self.refusal(error, requestID: requestID))
            }
        }
        let hasMessageBody = message?["body"].map { $0 != .null } ?? false
        let top = hasMessageBody ? draft.body : MessageBody(contentType: .text, content: comment ?? "")
        draft.body = Self.quoting(original, below: top)
        return .success(draft)
    }

    /// Recipients without repeats and without `excluded` (the user, who does not reply to themself).
    private static func unique(_ recipients: [Recipient], excluding excluded: String?) -> [Recipient] {
        var seen = Set<String>()
        if let excluded { seen.insert(excluded.lowercased()) }
        return recipients.filter { seen.insert($0.address.lowercased()).inserted }
    }

    /// An HTML body: `top`, a rule, the original's header block and its body, as Outlook quotes.
    private static func quoting(_ original: SimulatedMessage, below top: MessageBody) -> MessageBody {
        func names(_ recipients: [Recipient]) -> String {
            recipients.map { HTMLText.escaped("\($0.name) <\($0.address)>") }.joined(separator: "; ")
        }
        var header = "<b>From:</b> \(names([original.from]))<br>\r\n<b>Sent:</b> \(GraphDate.format(original.sentAt))<br>\r\n"
        header += "<b>To:</b> \(names(original.toRecipients))<br>\r\n"
        if !original.ccRecipients.isEmpty { header += "<b>Cc:</b> \(names(original.ccRecipients))<br>\r\n" }
        header += "<b>Subject:</b> \(HTMLText.escaped(original.subject))"
        let inner =
            "<div>\(top.innerHTML)</div>\r\n<hr style=\"display:inline-block;width:98%\">\r\n"
            + "<div id=\"divRplyFwdMsg\" dir=\"ltr\">\(header)</div>\r\n<div>\(original.body.innerHTML)</div>"
        return MessageBody(contentType: .html, content: MessageBody.document(inner))
    }
}
