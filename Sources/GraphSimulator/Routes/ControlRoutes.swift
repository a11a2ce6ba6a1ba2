internal import Foundation
internal import HTTPTypes
internal import Hummingbird

/// The control API under `/sim/`: how tests, demos and benchmarks act as the user in Outlook.
struct ControlRoutes: Sendable {
    let state: SimulatorState
    let dispatcher: NotificationDispatcher

    func add(to router: Router<BasicRequestContext>) {
        router.get("/sim") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/html; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: SimulatorPage.html))
            )
        }
        router.post("/sim/mailboxes") { request, _ in try await self.createMailbox(request) }
        router.get("/sim/mailboxes") { _, _ in
            let mailboxes = await self.state.allMailboxes()
            return IdentityRoutes.json(.array(mailboxes.map(Self.summary)), status: .ok)
        }
        router.get("/sim/mailboxes/:mailbox/state") { _, context in
            guard let mailbox = await self.state.mailbox(try context.parameters.require("mailbox")) else { return Self.notFound("mailbox") }
            return IdentityRoutes.json(Self.truth(mailbox), status: .ok)
        }
        router.post("/sim/mailboxes/:mailbox/messages") { request, context in try await self.addMessage(request, context: context) }
        router.get("/sim/mailboxes/:mailbox/messages/:message/body") { _, context in try await self.messageBody(context: context) }
        router.patch("/sim/mailboxes/:mailbox/messages/:message") { request, context in try await self.updateMessage(request, context: context) }
        router.post("/sim/mailboxes/:mailbox/messages/:message/move") { request, context in try await self.moveMessage(request, context: context) }
        router.delete("/sim/mailboxes/:mailbox/messages/:message") { request, context in try await self.deleteMessage(request, context: context) }
        router.post("/sim/mailboxes/:mailbox/folders") { request, context in try await self.createFolder(request, context: context) }
        router.patch("/sim/mailboxes/:mailbox/folders/:folder") { request, context in try await self.updateFolder(request, context: context) }
        router.delete("/sim/mailboxes/:mailbox/folders/:folder") { _, context in try await self.deleteFolder(context: context) }
        router.post("/sim/mailboxes/:mailbox/expire-tokens") { _, context in
            guard let mailbox = await self.state.mailbox(try context.parameters.require("mailbox")) else { return Self.notFound("mailbox") }
            await self.state.expireAccessTokens(mailboxID: mailbox.id)
            return Response(status: .noContent)
        }
        router.put("/sim/faults") { request, _ in try await self.setFaults(request) }
        router.get("/sim/faults") { _, _ in IdentityRoutes.json(Self.faultsJSON(await self.state.faults), status: .ok) }
        router.post("/sim/subscriptions/:subscription/lifecycle") { request, context in try await self.lifecycle(request, context: context) }
        router.post("/sim/subscriptions/:subscription/expire") { _, context in
            guard await self.state.expireSubscription(try context.parameters.require("subscription")) else { return Self.notFound("subscription") }
            return Response(status: .noContent)
        }
        // `?summary=true`: the totals alone, without the requests per endpoint and mailbox.
        router.get("/sim/stats") { request, _ in
            IdentityRoutes.json(await self.state.stats.json(detailed: request.uri.queryParameters["summary"] != "true"), status: .ok)
        }
    }

    // MARK: Handlers

    private func createMailbox(_ request: Request) async throws -> Response {
        let body = try await Self.body(request)
        guard let address = body["address"]?.stringValue, address.contains("@"), address.count <= 256 else {
            return Self.badRequest("address must be an email address")
        }
        let count = body["messages"]?.numberValue ?? 0
        guard count >= 0, count <= 1_000_000, count.rounded() == count else {
            return Self.badRequest("messages must be a whole number from 0 to 1000000")
        }
        let displayName = body["displayName"]?.stringValue ?? String(address.split(separator: "@")[0])
        let seed = UInt64(max(0, body["seed"]?.numberValue ?? 1))
        guard let mailbox = await self.state.createMailbox(address: address, displayName: displayName, messages: Int(count), seed: seed) else {
            return IdentityRoutes.json(Self.errorBody("a mailbox with address \(address) exists"), status: .conflict)
        }
        return IdentityRoutes.json(.object([("id", .string(mailbox.id)), ("address", .string(mailbox.address))]), status: .created)
    }

    private func addMessage(_ request: Request, context: BasicRequestContext) async throws -> Response {
        guard let mailbox = await self.state.mailbox(try context.parameters.require("mailbox")) else { return Self.notFound("mailbox") }
        let body = try await Self.body(request)
        let folder = body["folder"]?.stringValue ?? "inbox"
        guard mailbox.folder(folder) != nil else { return Self.badRequest("folder \(folder) does not exist") }
        let from = body["from"]
        var draft = MessageDraft(
            subject: body["subject"]?.stringValue ?? "",
            from: Recipient(name: from?["name"]?.stringValue ?? "Sender", address: from?["address"]?.stringValue ?? "sender@example.com"),
            isRead: body["isRead"]?.boolValue ?? false
        )
        do {
            try draft.read(
                .object([
                    (
                        "body",
                        body["body"].map { JSONValue.object([("contentType", body["contentType"] ?? .string("text")), ("content", $0)]) } ?? .null
                    ),
                    ("toRecipients", body["to"] ?? .null), ("ccRecipients", body["cc"] ?? .null), ("bccRecipients", body["bcc"] ?? .null),
                    ("replyTo", body["replyTo"] ?? .null), ("attachments", body["attachments"] ?? .null),
                ]),
                lenient: true
            )
        } catch {
            return Self.badRequest(Self.describe(error))
        }
        guard let (message, pending) = await self.state.addMessage(mailbox.id, folder: folder, draft: draft) else { return Self.notFound("mailbox") }
        await self.dispatcher.enqueue(pending)
        return IdentityRoutes.json(Self.messageJSON(message), status: .created)
    }

    /// The body as it is stored, as plain text whatever its type, so the page shows HTML as source and never runs it.
    private func messageBody(context: BasicRequestContext) async throws -> Response {
        guard let mailbox = await self.state.mailbox(try context.parameters.require("mailbox")) else { return Self.notFound("mailbox") }
        guard let message = mailbox.message(try context.parameters.require("message")) else { return Self.notFound("message") }
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/plain; charset=utf-8", HTTPField.Name("X-Content-Type-Options")!: "nosniff",
                .contentSecurityPolicy: "default-src 'none'", HTTPField.Name("X-Body-Content-Type")!: message.body.contentType.rawValue,
            ],
            body: .init(byteBuffer: ByteBuffer(string: message.body.content))
        )
    }

    private static func describe(_ failure: MessageDraft.ParseFailure) -> String {
        switch failure {
        case .invalidRecipient(let address): "recipient address '\(address)' is not an email address"
        case .invalidBodyType(let type): "contentType must be text or html, not '\(type)'"
        case .invalidBase64: "contentBytes must be base64"
        case .malformed(let message): message
        }
    }

    private func updateMessage(_ request: Request, context: BasicRequestContext) async throws -> Response {
        guard let mailbox = await self.state.mailbox(try context.parameters.require("mailbox")) else { return Self.notFound("mailbox") }
        let body = try await Self.body(request)
        let flag = body["flag"]?.stringValue
        if let flag, !["notFlagged", "flagged", "complete"].contains(flag) {
            return Self.badRequest("flag must be notFlagged, flagged or complete")
        }
        let messageID = try context.parameters.require("message")
        guard
            let (message, pending) = await self.state.updateMessage(
                mailbox.id,
                messageID: messageID,
                isRead: body["isRead"]?.boolValue,
                flag: flag,
                subject: body["subject"]?.stringValue
            )
        else { return Self.notFound("message") }
        await self.dispatcher.enqueue(pending)
        return IdentityRoutes.json(Self.messageJSON(message), status: .ok)
    }

    private func moveMessage(_ request: Request, context: BasicRequestContext) async throws -> Response {
        guard let mailbox = await self.state.mailbox(try context.parameters.require("mailbox")) else { return Self.notFound("mailbox") }
        let body = try await Self.body(request)
        guard let destination = body["destination"]?.stringValue, mailbox.folder(destination) != nil else {
            return Self.badRequest("destination must be a folder id or well-known name")
        }
        guard let (message, pending) = await self.state.move(mailbox.id, messageID: try context.parameters.require("message"), to: destination) else {
            return Self.notFound("message")
        }
        await self.dispatcher.enqueue(pending)
        return IdentityRoutes.json(Self.messageJSON(message), status: .ok)
    }

    private func deleteMessage(_ request: Request, context: BasicRequestContext) async throws -> Response {
        guard let mailbox = await self.state.mailbox(try context.parameters.require("mailbox")) else { return Self.notFound("mailbox") }
        let messageID = try context.parameters.require("message")
        let permanent = request.uri.queryParameters["permanent"] == "true"
        guard let current = mailbox.message(messageID) else { return Self.notFound("message") }
        let deletedItems = mailbox.folder("deleteditems")!
        // Deleting in Outlook moves to Deleted Items; deleting from there (or with permanent=true) removes for good.
        if !permanent, current.folderID != deletedItems.id {
            guard let (message, pending) = await self.state.move(mailbox.id, messageID: messageID, to: deletedItems.id) else {
                return Self.notFound("message")
            }
            await self.dispatcher.enqueue(pending)
            return IdentityRoutes.json(Self.messageJSON(message), status: .ok)
        }
        guard let (_, pending) = await self.state.deleteMessage(mailbox.id, messageID: messageID) else { return Self.notFound("message") }
        await self.dispatcher.enqueue(pending)
        return Response(status: .noContent)
    }

    private func createFolder(_ request: Request, context: BasicRequestContext) async throws -> Response {
        guard let mailbox = await self.state.mailbox(try context.parameters.require("mailbox")) else { return Self.notFound("mailbox") }
        let body = try await Self.body(request)
        guard let displayName = body["displayName"]?.stringValue else { return Self.folderFailure(.invalidName) }
        if let parent = body["parentFolderId"], parent.stringValue == nil { return Self.folderFailure(.unknownParent) }
        do {
            let parent = body["parentFolderId"]?.stringValue ?? "msgfolderroot"
            guard let folder = try await self.state.createFolder(mailbox.id, displayName: displayName, parent: parent) else {
                return Self.notFound("mailbox")
            }
            return await self.folderResponse(folder, in: mailbox.id, status: .created)
        } catch {
            return Self.folderFailure(error)
        }
    }

    private func updateFolder(_ request: Request, context: BasicRequestContext) async throws -> Response {
        guard let mailbox = await self.state.mailbox(try context.parameters.require("mailbox")) else { return Self.notFound("mailbox") }
        let body = try await Self.body(request)
        let displayName = body["displayName"]
        let parent = body["parentFolderId"]
        guard displayName != nil || parent != nil else { return Self.badRequest("give displayName, parentFolderId or both") }
        if let displayName, displayName.stringValue == nil { return Self.folderFailure(.invalidName) }
        if let parent, parent.stringValue == nil { return Self.folderFailure(.unknownParent) }
        let folderID = try context.parameters.require("folder")
        do {
            guard
                let folder = try await self.state.updateFolder(
                    mailbox.id,
                    folderID: folderID,
                    displayName: displayName?.stringValue,
                    parent: parent?.stringValue
                )
            else { return Self.notFound("mailbox") }
            return await self.folderResponse(folder, in: mailbox.id, status: .ok)
        } catch {
            return Self.folderFailure(error)
        }
    }

    private func deleteFolder(context: BasicRequestContext) async throws -> Response {
        guard let mailbox = await self.state.mailbox(try context.parameters.require("mailbox")) else { return Self.notFound("mailbox") }
        let folderID = try context.parameters.require("folder")
        do {
            guard let pending = try await self.state.deleteFolder(mailbox.id, folderID: folderID) else { return Self.notFound("mailbox") }
            await self.dispatcher.enqueue(pending)
            return Response(status: .noContent)
        } catch {
            return Self.folderFailure(error)
        }
    }

    /// The folder's JSON as `GET /v1.0/me/mailFolders/{id}` gives it, with the counts as they are after the change.
    private func folderResponse(_ folder: SimulatedFolder, in mailboxID: String, status: HTTPResponse.Status) async -> Response {
        guard let mailbox = await self.state.mailbox(mailboxID) else { return Self.notFound("mailbox") }
        return IdentityRoutes.json(mailbox.folderJSON(folder), status: status)
    }

    private static func folderFailure(_ failure: SimulatedMailbox.FolderFailure) -> Response {
        switch failure {
        case .invalidName:
            Self.badRequest("displayName must be a name of 1 to \(SimulatedMailbox.maximumFolderNameLength) characters")
        case .unknownParent:
            Self.badRequest("parentFolderId must be a folder id or well-known name")
        case .nameTaken:
            IdentityRoutes.json(
                Self.errorBody("A folder with the specified name already exists.", code: "ErrorFolderExists"),
                status: .badRequest
            )
        case .notFound:
            Self.notFound("folder")
        case .standardFolder:
            Self.badRequest("standard folders cannot be renamed, moved or deleted")
        case .intoOwnSubtree:
            Self.badRequest("a folder cannot move into itself or into one of its subfolders")
        }
    }

    private func setFaults(_ request: Request) async throws -> Response {
        let body = try await Self.body(request)
        var faults = SimulatorFaults()
        func probability(_ name: String) throws -> Double {
            guard let value = body[name] else { return 0 }
            guard let number = value.numberValue, (0...1).contains(number) else {
                throw HTTPError(.badRequest, message: "\(name) must be a number from 0 to 1")
            }
            return number
        }
        do {
            faults.dropNotifications = try probability("dropNotifications")
            faults.duplicateNotifications = try probability("duplicateNotifications")
            faults.serverErrorRate = try probability("serverErrorRate")
            faults.throttleRate = try probability("throttleRate")
        } catch let error as HTTPError {
            return Self.badRequest(error.body ?? "invalid faults")
        }
        if let delay = body["notificationDelayMs"]?.arrayValue {
            guard delay.count == 2, let low = delay[0].numberValue, let high = delay[1].numberValue, low >= 0, high >= low, high <= 600_000 else {
                return Self.badRequest("notificationDelayMs must be [min, max] in milliseconds")
            }
            faults.notificationDelayMs = Int(low)...Int(high)
        }
        faults.reorderNotifications = body["reorderNotifications"]?.boolValue ?? false
        faults.expireDeltaTokens = body["expireDeltaTokens"]?.boolValue ?? false
        if let throttle = body["throttle"] {
            if let requests = throttle["requestsPer10Minutes"]?.numberValue {
                guard requests >= 1 else { return Self.badRequest("throttle.requestsPer10Minutes must be at least 1") }
                faults.requestsPer10Minutes = Int(requests)
            }
            if let concurrent = throttle["concurrent"]?.numberValue {
                guard concurrent >= 1 else { return Self.badRequest("throttle.concurrent must be at least 1") }
                faults.concurrentRequests = Int(concurrent)
            }
        }
        if let minutes = body["subscriptionMaxMinutes"]?.numberValue {
            guard minutes >= 45 else { return Self.badRequest("subscriptionMaxMinutes must be at least 45") }
            faults.subscriptionMaxMinutes = Int(minutes)
        }
        await self.state.setFaults(faults)
        return IdentityRoutes.json(Self.faultsJSON(faults), status: .ok)
    }

    private func lifecycle(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let body = try await Self.body(request)
        guard let event = body["event"]?.stringValue, ["reauthorizationRequired", "subscriptionRemoved", "missed"].contains(event) else {
            return Self.badRequest("event must be reauthorizationRequired, subscriptionRemoved or missed")
        }
        let id = try context.parameters.require("subscription")
        guard await self.state.subscription(id) != nil else { return Self.notFound("subscription") }
        guard let notification = await self.state.lifecycleNotification(subscriptionID: id, event: event) else {
            return Self.badRequest("the subscription has no lifecycleNotificationUrl")
        }
        await self.dispatcher.enqueue([notification])
        return Response(status: .accepted)
    }

    // MARK: JSON

    private static func body(_ request: Request) async throws -> JSONValue {
        var request = request
        // Room for attachments given as base64.
        let buffer = try await request.collectBody(upTo: 16 << 20)
        if buffer.readableBytes == 0 { return .object([]) }
        guard let value = JSONValue.parse(Data(buffer.readableBytesView)), case .object = value else {
            throw HTTPError(.badRequest, message: "the body must be a JSON object")
        }
        return value
    }

    /// The control API's error: `{"error": {"code"?, "message"}}`, with Graph's code where Graph has one.
    static func errorBody(_ message: String, code: String? = nil) -> JSONValue {
        let members: [(String, JSONValue)] = code.map { [("code", .string($0))] } ?? []
        return .object([("error", .object(members + [("message", .string(message))]))])
    }

    private static func badRequest(_ message: String) -> Response {
        IdentityRoutes.json(Self.errorBody(message), status: .badRequest)
    }

    private static func notFound(_ what: String) -> Response {
        IdentityRoutes.json(Self.errorBody("no such \(what)"), status: .notFound)
    }

    private static func summary(_ mailbox: SimulatedMailbox) -> JSONValue {
        .object([
            ("id", .string(mailbox.id)), ("address", .string(mailbox.address)), ("displayName", .string(mailbox.displayName)),
            ("messages", .number(Double(mailbox.messages.count))),
        ])
    }

    static func messageJSON(_ message: SimulatedMessage) -> JSONValue {
        .object([
            ("id", .string(message.immutableID)),
            ("restId", .string(message.restID)),
            ("folderId", .string(message.folderID)),
            ("subject", .string(message.subject)),
            ("from", .object([("name", .string(message.fromName)), ("address", .string(message.fromAddress))])),
            ("isRead", .bool(message.isRead)),
            ("flag", .string(message.flag)),
            ("hasAttachments", .bool(message.hasAttachments)),
            (
                "attachments",
                .array(
                    message.attachments.map {
                        .object([
                            ("id", .string($0.id)), ("name", .string($0.name)), ("contentType", .string($0.contentType)),
                            ("size", .number(Double($0.size))), ("isInline", .bool($0.isInline)),
                        ])
                    }
                )
            ),
            ("receivedDateTime", .string(GraphDate.format(message.receivedAt))),
            ("lastModifiedDateTime", .string(GraphDate.format(message.lastModifiedAt))),
            ("changeKey", .string(message.changeKey)),
        ])
    }

    /// The whole truth of a mailbox, for convergence checks.
    private static func truth(_ mailbox: SimulatedMailbox) -> JSONValue {
        let folders = mailbox.folders.map { folder in
            JSONValue.object([
                ("id", .string(folder.id)), ("displayName", .string(folder.displayName)), ("parentFolderId", .string(folder.parentID)),
                ("wellKnownName", folder.wellKnownName.map(JSONValue.string) ?? .null),
            ])
        }
        let messages = mailbox.messages.values.sorted { ($0.receivedAt, $0.immutableID) > ($1.receivedAt, $1.immutableID) }.map(Self.messageJSON)
        return .object([
            ("id", .string(mailbox.id)), ("address", .string(mailbox.address)), ("folders", .array(folders)), ("messages", .array(messages)),
        ])
    }

    private static func faultsJSON(_ faults: SimulatorFaults) -> JSONValue {
        .object([
            ("dropNotifications", .number(faults.dropNotifications)),
            ("duplicateNotifications", .number(faults.duplicateNotifications)),
            (
                "notificationDelayMs",
                .array([.number(Double(faults.notificationDelayMs.lowerBound)), .number(Double(faults.notificationDelayMs.upperBound))])
            ),
            ("reorderNotifications", .bool(faults.reorderNotifications)),
            ("serverErrorRate", .number(faults.serverErrorRate)),
            ("throttleRate", .number(faults.throttleRate)),
            (
                "throttle",
                .object([
                    ("requestsPer10Minutes", .number(Double(faults.requestsPer10Minutes))),
                    ("concurrent", .number(Double(faults.concurrentRequests))),
                ])
            ),
            ("expireDeltaTokens", .bool(faults.expireDeltaTokens)),
            ("subscriptionMaxMinutes", .number(Double(faults.subscriptionMaxMinutes))),
        ])
    }
}
