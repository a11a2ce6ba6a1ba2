internal import Foundation
internal import HTTPTransport

/// The Graph v1.0 surface: authentication, throttling, and every endpoint, for HTTP requests and `$batch` parts alike.
struct GraphAPI: Sendable {
    let state: SimulatorState
    let transport: any HTTPTransport
    /// Delivers the notifications of the messages that sending stores.
    let dispatcher: NotificationDispatcher
    /// The public base of Graph links, e.g. `http://127.0.0.1:8081/v1.0`.
    let baseURL: String

    /// Authenticates, admits under the throttling limits, then serves.
    func handle(_ request: GraphRequest) async -> GraphResponse {
        let requestID = request.headers["client-request-id"] ?? UUID().uuidString.lowercased()
        let idHeaders = [("request-id", requestID), ("client-request-id", requestID)]
        var response = await self.authorized(request, requestID: requestID)
        response.headers += idHeaders
        return response
    }

    private func authorized(_ request: GraphRequest, requestID: String) async -> GraphResponse {
        let authorization = request.headers["authorization"] ?? ""
        guard authorization.lowercased().hasPrefix("bearer "), !authorization.dropFirst(7).isEmpty else {
            return .error(401, code: "InvalidAuthenticationToken", message: "Access token is empty.", requestID: requestID, headers: Self.challenge)
        }
        guard let grant = await self.state.grant(forAccessToken: String(authorization.dropFirst(7))) else {
            return .error(
                401,
                code: "InvalidAuthenticationToken",
                message: "Access token has expired or is not yet valid.",
                requestID: requestID,
                headers: Self.challenge
            )
        }
        // The batch envelope is not a mailbox request: each of its parts is admitted on its own.
        if request.segments.first == "$batch", request.method.uppercased() == "POST" {
            return await self.batch(request, requestID: requestID)
        }
        if Self.sends(request), !grant.scopes.contains(where: { $0.lowercased().hasSuffix("mail.send") }) {
            return .error(403, code: "ErrorAccessDenied", message: "Access is denied. Check credentials and try again.", requestID: requestID)
        }
        let endpoint = Self.endpointName(request.segments)
        switch await self.state.admit(clientID: grant.clientID, mailboxID: grant.mailboxID, endpoint: endpoint) {
        case .throttled(let retryAfter, let message):
            return .error(429, code: "ApplicationThrottled", message: message, requestID: requestID, headers: [("Retry-After", "\(retryAfter)")])
        case .serverError:
            return .error(
                503,
                code: "serviceNotAvailable",
                message: "The service is temporarily unavailable.",
                requestID: requestID,
                headers: [("Retry-After", "1")]
            )
        case .admitted:
            let response = await self.route(request, mailboxID: grant.mailboxID, clientID: grant.clientID, requestID: requestID)
            await self.state.finish(clientID: grant.clientID, mailboxID: grant.mailboxID)
            return response
        }
    }

    /// Whether a request sends mail (`sendMail`; a message's `reply`, `replyAll`, `forward` or `send`), which Graph
    /// allows only to a token granted `Mail.Send`.
    private static func sends(_ request: GraphRequest) -> Bool {
        guard request.method.uppercased() == "POST", let last = request.segments.last?.lowercased() else { return false }
        return ["sendmail", "reply", "replyall", "forward", "send"].contains(last)
    }

    private static let challenge = [
        ("WWW-Authenticate", "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\"")
    ]

    /// A stable name of the endpoint for the request counters: ids replaced by `{id}`.
    static func endpointName(_ segments: [String]) -> String {
        var names: [String] = []
        var previous = ""
        for segment in segments {
            let keyed =
                ["users", "mailfolders", "messages", "childfolders", "subscriptions", "attachments"].contains(previous)
                && !["delta", "messages", "childfolders", "reauthorize", "$value"].contains(segment.lowercased())
            names.append(keyed ? "{id}" : segment.lowercased())
            previous = segment.lowercased()
        }
        return names.joined(separator: "/")
    }

    // MARK: Routing

    private func route(_ request: GraphRequest, mailboxID: String, clientID: String, requestID: String) async -> GraphResponse {
        var segments = request.segments
        let method = request.method.uppercased()
        guard let first = segments.first?.lowercased() else {
            return .error(400, code: "BadRequest", message: "Invalid request.", requestID: requestID)
        }
        if first == "subscriptions" {
            return await self.subscriptions(
                request,
                segments: Array(segments.dropFirst()),
                mailboxID: mailboxID,
                clientID: clientID,
                requestID: requestID
            )
        }
        if first == "users", segments.count >= 2 {
            guard let mailbox = await self.state.mailbox(mailboxID),
                segments[1] == mailbox.id || segments[1].caseInsensitiveCompare(mailbox.address) == .orderedSame
            else {
                return .error(403, code: "ErrorAccessDenied", message: "Access is denied. Check credentials and try again.", requestID: requestID)
            }
            segments.removeFirst(2)
        } else if first == "me" {
            segments.removeFirst()
        } else {
            return .error(400, code: "BadRequest", message: "Resource not found for the segment '\(segments[0])'.", requestID: requestID)
        }
        guard method == "GET" || method == "POST" else {
            return .error(405, code: "ErrorInvalidRequest", message: "The OData request is not supported.", requestID: requestID)
        }
        guard let mailbox = await self.state.mailbox(mailboxID) else {
            return .error(
                404,
                code: "MailboxNotEnabledForRESTAPI",
                message: "The mailbox is either inactive, soft-deleted, or is hosted on-premise.",
                requestID: requestID
            )
        }
        var lowered = segments.map { $0.lowercased() }
        // mailFolders/{id}/messages/{id}/… reaches the same message as messages/{id}/….
        if lowered.count >= 5, lowered[0] == "mailfolders", lowered[2] == "messages" {
            guard mailbox.folder(segments[1]) != nil else { return Self.itemNotFound(requestID) }
            segments.removeFirst(2)
            lowered.removeFirst(2)
        }
        if method == "POST" {
            return await self.mailAction(mailbox, segments: segments, lowered: lowered, request: request, requestID: requestID)
        }
        switch lowered.count {
        case 3 where lowered[0] == "messages" && lowered[2] == "attachments",
            4 where lowered[0] == "messages" && lowered[2] == "attachments",
            5 where lowered[0] == "messages" && lowered[2] == "attachments" && lowered[4] == "$value":
            return self.attachments(mailbox, segments: segments, lowered: lowered, request: request, requestID: requestID)
        case 0:
            return .json(Self.user(mailbox))
        case 1 where lowered[0] == "mailfolders":
            return self.folderList(mailbox, parentID: mailbox.rootID, request: request)
        case 2 where lowered == ["mailfolders", "delta"]:
            return await self.folderDelta(mailbox, request: request, requestID: requestID)
        case 2 where lowered[0] == "mailfolders":
            guard let folder = mailbox.folder(segments[1]) else { return Self.itemNotFound(requestID) }
            return .json(
                .object(
                    [("@odata.context", .string("https://graph.microsoft.com/v1.0/$metadata#users('\(mailbox.id)')/mailFolders/$entity"))]
                        + Self.members(mailbox.folderJSON(folder))
                )
            )
        case 3 where lowered[0] == "mailfolders" && lowered[2] == "childfolders":
            guard let folder = mailbox.folder(segments[1]) else { return Self.itemNotFound(requestID) }
            return self.folderList(mailbox, parentID: folder.id, request: request)
        case 3 where lowered[0] == "mailfolders" && lowered[2] == "messages":
            guard let folder = mailbox.folder(segments[1]) else { return Self.itemNotFound(requestID) }
            return self.messageList(mailbox, folderID: folder.id, request: request, requestID: requestID)
        case 4 where lowered[0] == "mailfolders" && lowered[2] == "messages" && lowered[3] == "delta":
            guard let folder = mailbox.folder(segments[1]) else { return Self.itemNotFound(requestID) }
            return await self.messageDelta(mailbox, folder: folder, request: request, requestID: requestID)
        case 2 where lowered[0] == "messages", 4 where lowered[0] == "mailfolders" && lowered[2] == "messages":
            guard let message = mailbox.message(segments.last!) else { return Self.itemNotFound(requestID) }
            let select: [String]?
            switch Self.select(request) {
            case .failure(let error): return .error(400, code: "RequestBroker--ParseUri", message: error.message, requestID: requestID)
            case .success(let value): select = value
            }
            let expanded: [String]??
            switch Self.attachmentsExpansion(request) {
            case .failure(let error): return .error(400, code: "RequestBroker--ParseUri", message: error.message, requestID: requestID)
            case .success(let value): expanded = value
            }
            let id = request.wantsImmutableIDs ? message.immutableID : message.restID
            let context: [(String, JSONValue)] = [
                ("@odata.context", .string("https://graph.microsoft.com/v1.0/$metadata#users('\(mailbox.id)')/messages/$entity"))
            ]
            var members = context + Self.members(message.json(id: id, select: select, withODataType: false, bodyType: request.bodyContentType))
            if let attachmentSelect = expanded {
                members.append(("attachments", .array(message.attachments.map { $0.json(select: attachmentSelect) })))
            }
            return .json(.object(members), headers: Self.bodyPreferenceApplied(request))
        default:
            return .error(400, code: "BadRequest", message: "Resource not found for the segment '\(segments.last ?? "")'.", requestID: requestID)
        }
    }

    static func members(_ value: JSONValue) -> [(String, JSONValue)] {
        if case .object(let members) = value { return members }
        return []
    }

    static func user(_ mailbox: SimulatedMailbox) -> JSONValue {
        let parts = mailbox.displayName.split(separator: " ", maxSplits: 1).map(String.init)
        return .object([
            ("@odata.context", .string("https://graph.microsoft.com/v1.0/$metadata#users/$entity")),
            ("businessPhones", .array([])),
            ("displayName", .string(mailbox.displayName)),
            ("givenName", parts.first.map(JSONValue.string) ?? .null),
            ("jobTitle", .null),
            ("mail", .null),
            ("mobilePhone", .null),
            ("officeLocation", .null),
            ("preferredLanguage", .null),
            ("surname", parts.count > 1 ? .string(parts[1]) : .null),
            ("userPrincipalName", .string(mailbox.address)),
            ("id", .string(mailbox.id)),
        ])
    }

    // MARK: Folders

    private func folderList(_ mailbox: SimulatedMailbox, parentID: String, request: GraphRequest) -> GraphResponse {
        let includeHidden = request.query["includeHiddenFolders"]?.lowercased() == "true"
        let folders = mailbox.folders.filter { $0.parentID == parentID && (includeHidden || !$0.isHidden) }
            .sorted { $0.displayName < $1.displayName }
        let top = request.query["$top"].flatMap(Int.init) ?? 10
        let skip = request.query["$skip"].flatMap(Int.init) ?? 0
        let page = folders.dropFirst(skip).prefix(max(1, top))
        var members: [(String, JSONValue)] = [
            ("@odata.context", .string("https://graph.microsoft.com/v1.0/$metadata#users('\(mailbox.id)')/mailFolders"))
        ]
        if skip + page.count < folders.count {
            members.append(("@odata.nextLink", .string(self.link(request, replacing: ["$skip": "\(skip + page.count)", "$top": "\(top)"]))))
        }
        members.append(("value", .array(page.map(mailbox.folderJSON))))
        return .json(.object(members))
    }

    /// Folder delta: an initial round enumerates the tree; a round from a deltaLink carries the folders created, renamed
    /// or moved since its token, as they are now, and `@removed` for those deleted for good. A skip token carries its
    /// round's position (no round is kept), so a nextLink followed again serves the same page.
    private func folderDelta(_ mailbox: SimulatedMailbox, request: GraphRequest, requestID: String) async -> GraphResponse {
        let generation = await self.state.tokenGeneration
        var position: FolderDeltaPosition
        if let text = request.query["$skiptoken"] {
            guard let token = FolderDeltaPosition(text: text), token.generation >= generation, token.until <= mailbox.sequence else {
                return Self.syncStateNotFound(requestID)
            }
            position = token
        } else if let text = request.query["$deltatoken"] {
            guard let token = DeltaToken(text: text), token.folderID == mailbox.rootID, token.generation >= generation,
                token.sequence <= mailbox.sequence
            else {
                return Self.syncStateNotFound(requestID)
            }
            position = FolderDeltaPosition(after: token.sequence, until: mailbox.sequence, generation: generation)
        } else {
            position = FolderDeltaPosition(after: nil, until: mailbox.sequence, generation: generation)
        }
        let size = self.deltaPageSize(request)
        let entries = mailbox.folderDeltaEntries(after: position.after, until: position.until).filter(position.isUnserved)
        let page = entries.prefix(size)
        let path = "\(self.baseURL)/me/mailfolders/delta"
        var members: [(String, JSONValue)] = [("@odata.context", .string("https://graph.microsoft.com/v1.0/$metadata#Collection(mailFolder)"))]
        if entries.count > page.count, let last = page.last {
            position.lastSequence = last.sequence
            position.lastFolderID = last.folderID
            members.append(("@odata.nextLink", .string("\(path)?$skiptoken=\(position.text)")))
        } else {
            let token = DeltaToken(folderID: mailbox.rootID, sequence: position.until, generation: position.generation, select: nil)
            members.append(("@odata.deltaLink", .string("\(path)?$deltatoken=\(token.text)")))
        }
        let items = page.map { entry -> JSONValue in
            switch entry {
            case .changed(let folder):
                mailbox.folderJSON(folder)
            case .deleted(let deletion):
                .object([("id", .string(deletion.folderID)), ("@removed", .object([("reason", .string("deleted"))]))])
            }
        }
        members.append(("value", .array(items)))
        return .json(.object(members), headers: Self.preferenceApplied(request, size: size))
    }

    // MARK: Messages

    private func messageList(_ mailbox: SimulatedMailbox, folderID: String, request: GraphRequest, requestID: String) -> GraphResponse {
        let select: [String]?
        switch Self.select(request) {
        case .failure(let error): return .error(400, code: "RequestBroker--ParseUri", message: error.message, requestID: requestID)
        case .success(let value): select = value
        }
        if let orderBy = request.query["$orderby"], orderBy.replacingOccurrences(of: "%20", with: " ").lowercased() != "receiveddatetime desc" {
            return .error(400, code: "ErrorInvalidProperty", message: "The $orderby value '\(orderBy)' is not supported.", requestID: requestID)
        }
        let top = min(1000, max(1, request.query["$top"].flatMap(Int.init) ?? 10))
        let skip = max(0, request.query["$skip"].flatMap(Int.init) ?? 0)
        let messages = mailbox.messages.values.filter { $0.folderID == folderID }
            .sorted { ($0.receivedAt, $0.immutableID) > ($1.receivedAt, $1.immutableID) }
        let page = messages.dropFirst(skip).prefix(top)
        var members: [(String, JSONValue)] = [
            ("@odata.context", .string("https://graph.microsoft.com/v1.0/$metadata#users('\(mailbox.id)')/messages"))
        ]
        let immutable = request.wantsImmutableIDs
        let bodyType = request.bodyContentType
        members.append(
            (
                "value",
                .array(page.map { $0.json(id: immutable ? $0.immutableID : $0.restID, select: select, withODataType: false, bodyType: bodyType) })
            )
        )
        if skip + page.count < messages.count {
            members.append(("@odata.nextLink", .string(self.link(request, replacing: ["$skip": "\(skip + page.count)", "$top": "\(top)"]))))
        }
        return .json(.object(members), headers: Self.bodyPreferenceApplied(request))
    }

    private func messageDelta(_ mailbox: SimulatedMailbox, folder: SimulatedFolder, request: GraphRequest, requestID: String) async -> GraphResponse {
        let size = self.deltaPageSize(request)
        let skipToken: String
        do {
            if let token = request.query["$skiptoken"] {
                skipToken = token
            } else if let text = request.query["$deltatoken"] {
                guard let token = DeltaToken(text: text), token.folderID == folder.id else { throw SimulatorState.DeltaFailure.syncStateNotFound }
                skipToken = try await self.state.startRound(
                    mailboxID: mailbox.id,
                    folderID: folder.id,
                    select: token.select,
                    after: token.sequence,
                    generation: token.generation
                )
            } else {
                let select: [String]?
                switch Self.select(request) {
                case .failure(let error): return .error(400, code: "RequestBroker--ParseUri", message: error.message, requestID: requestID)
                case .success(let value): select = value
                }
                skipToken = try await self.state.startRound(mailboxID: mailbox.id, folderID: folder.id, select: select, after: nil, generation: nil)
            }
            let page = try await self.state.page(skipToken: skipToken, mailboxID: mailbox.id, size: size, immutableIDs: request.wantsImmutableIDs)
            let folderPath = "\(self.baseURL)/me/mailfolders('\(folder.id)')/messages/delta"
            var members: [(String, JSONValue)] = [("@odata.context", .string("https://graph.microsoft.com/v1.0/$metadata#Collection(message)"))]
            if let next = page.nextSkipToken {
                members.append(("@odata.nextLink", .string("\(folderPath)?$skiptoken=\(next)")))
            } else if let delta = page.deltaToken {
                members.append(("@odata.deltaLink", .string("\(folderPath)?$deltatoken=\(delta.text)")))
            }
            members.append(("value", .array(page.items)))
            return .json(.object(members), headers: Self.preferenceApplied(request, size: size))
        } catch {
            return Self.syncStateNotFound(requestID)
        }
    }

    /// A delta page's size: what `Prefer: odata.maxpagesize` asks (10 without it), within the simulator's largest.
    private func deltaPageSize(_ request: GraphRequest) -> Int {
        min(max(1, request.maximumPageSize ?? 10), self.state.configuration.maximumPageSize)
    }

    /// `Preference-Applied` for a request that asked a page size.
    private static func preferenceApplied(_ request: GraphRequest, size: Int) -> [(String, String)] {
        request.maximumPageSize == nil ? [] : [("Preference-Applied", "odata.maxpagesize=\(size)")]
    }

    /// The answer to an unknown, malformed or expired delta or skip token.
    private static func syncStateNotFound(_ requestID: String) -> GraphResponse {
        let generation = Int.random(in: 100...200)
        return .error(
            410,
            code: "SyncStateNotFound",
            message: "The sync state generation is not found; generation=\(generation - 8);[highest=\(generation)][\(generation)].",
            requestID: requestID
        )
    }

    struct SelectError: Error {
        let message: String
    }

    /// `Preference-Applied` for a request that asked a body type: Graph confirms either.
    private static func bodyPreferenceApplied(_ request: GraphRequest) -> [(String, String)] {
        request.bodyContentType.map { [("Preference-Applied", "outlook.body-content-type=\"\($0.rawValue)\"")] } ?? []
    }

    /// The `$select` list, checked against the properties of the type (a message's unless told).
    static func select(
        _ request: GraphRequest,
        properties: [String] = SimulatedMessage.propertyNames,
        typeName: String = "Microsoft.OutlookServices.Message"
    ) -> Result<[String]?, SelectError> {
        Self.select(request.query["$select"], properties: properties, typeName: typeName)
    }

    /// A `$select` list's property names as Graph spells them; `nil` without one.
    static func select(_ text: String?, properties: [String], typeName: String) -> Result<[String]?, SelectError> {
        guard let text, !text.isEmpty else { return .success(nil) }
        var names: [String] = []
        for name in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where name.lowercased() != "id" {
            guard let known = properties.first(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) else {
                return .failure(SelectError(message: "Could not find a property named '\(name)' on type '\(typeName)'."))
            }
            names.append(known)
        }
        return .success(names)
    }

    /// A message's `$expand`: `nil` without one; the attachments with every property (`attachments`) or a selection
    /// (`attachments($select=…)`); anything else is not a property Graph can expand.
    private static func attachmentsExpansion(_ request: GraphRequest) -> Result<[String]??, SelectError> {
        guard let text = request.query["$expand"] else { return .success(nil) }
        if text.lowercased() == "attachments" { return .success(.some(nil)) }
        guard text.lowercased().hasPrefix("attachments($select="), text.hasSuffix(")") else {
            return .failure(SelectError(message: "Could not find a property named '\(text)'."))
        }
        let list = String(text.dropFirst("attachments($select=".count).dropLast())
        return Self.select(list, properties: SimulatedAttachment.propertyNames, typeName: "Microsoft.OutlookServices.FileAttachment").map {
            .some($0)
        }
    }

    /// The request's own URL with some query items replaced, for `@odata.nextLink`.
    private func link(_ request: GraphRequest, replacing replacements: [String: String]) -> String {
        var query = request.query
        for (name, value) in replacements { query[name] = value }
        // Names stay as written ($skip, $top), as in Graph's own links; values are escaped.
        let items = query.keys.sorted().map { "\($0)=\(FormURLEncoding.escape(query[$0]!))" }
        return "\(self.baseURL)/\(request.rawPath)?\(items.joined(separator: "&"))"
    }
}
