internal import Foundation
internal import HTTPTransport

extension GraphAPI {
    func subscriptions(_ request: GraphRequest, segments: [String], mailboxID: String, clientID: String, requestID: String) async -> GraphResponse {
        let method = request.method.uppercased()
        switch (method, segments.count) {
        case ("POST", 0):
            return await self.createSubscription(request, mailboxID: mailboxID, clientID: clientID, requestID: requestID)
        case ("GET", 0):
            let mine = await self.state.subscriptions.values.filter { $0.mailboxID == mailboxID }.sorted { $0.id < $1.id }
            return .json(
                .object([
                    ("@odata.context", .string("https://graph.microsoft.com/v1.0/$metadata#subscriptions")),
                    ("value", .array(mine.map { .object(Array(Self.subscriptionMembers($0).dropFirst())) })),
                ])
            )
        case (_, 1), ("POST", 2):
            guard let subscription = await self.state.subscription(segments[0]), subscription.mailboxID == mailboxID else {
                return .error(404, code: "ResourceNotFound", message: "The object was not found.", requestID: requestID)
            }
            switch (method, segments.count) {
            case ("GET", 1):
                return .json(subscription.json())
            case ("DELETE", 1):
                _ = await self.state.removeSubscription(subscription.id)
                return GraphResponse(status: 204, headers: [], body: nil)
            case ("PATCH", 1):
                guard let body = JSONValue.parse(request.body), let text = body["expirationDateTime"]?.stringValue else {
                    return .error(400, code: "InvalidRequest", message: "expirationDateTime is required.", requestID: requestID)
                }
                switch await self.expiration(text, requestID: requestID) {
                case .failure(let failure): return failure.response
                case .success(let date):
                    guard let renewed = await self.state.renewSubscription(subscription.id, until: date) else {
                        return .error(404, code: "ResourceNotFound", message: "The object was not found.", requestID: requestID)
                    }
                    return .json(renewed.json())
                }
            case ("POST", 2) where segments[1].lowercased() == "reauthorize":
                return GraphResponse(status: 204, headers: [], body: nil)
            default:
                return .error(405, code: "InvalidRequest", message: "The method is not allowed here.", requestID: requestID)
            }
        default:
            return .error(405, code: "InvalidRequest", message: "The method is not allowed here.", requestID: requestID)
        }
    }

    private static func subscriptionMembers(_ subscription: Subscription) -> [(String, JSONValue)] {
        if case .object(let members) = subscription.json() { return members }
        return []
    }

    private func createSubscription(_ request: GraphRequest, mailboxID: String, clientID: String, requestID: String) async -> GraphResponse {
        guard let body = JSONValue.parse(request.body), case .object = body else {
            return .error(400, code: "InvalidRequest", message: "The request body must be a JSON object.", requestID: requestID)
        }
        let changeTypes = (body["changeType"]?.stringValue ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !changeTypes.isEmpty, changeTypes.allSatisfy({ ["created", "updated", "deleted"].contains($0) }) else {
            return .error(
                400,
                code: "InvalidRequest",
                message: "changeType must be a comma-separated list of created, updated, deleted.",
                requestID: requestID
            )
        }
        guard let resource = body["resource"]?.stringValue, let mailbox = await self.state.mailbox(mailboxID) else {
            return .error(400, code: "InvalidRequest", message: "resource is required.", requestID: requestID)
        }
        var segments = GraphRequest.segments(of: resource)
        if segments.first?.lowercased() == "me" {
            segments.removeFirst()
        } else if segments.first?.lowercased() == "users", segments.count >= 2,
            segments[1] == mailbox.id || segments[1].caseInsensitiveCompare(mailbox.address) == .orderedSame
        {
            segments.removeFirst(2)
        } else {
            return .error(
                400,
                code: "ExtensionError",
                message: "Operation: Create; Exception: [Status Code: Forbidden; Reason: Access is denied.]",
                requestID: requestID
            )
        }
        var folderID: String?
        switch segments.map({ $0.lowercased() }).count {
        case 1 where segments[0].lowercased() == "messages":
            break
        case 3 where segments[0].lowercased() == "mailfolders" && segments[2].lowercased() == "messages":
            guard let folder = mailbox.folder(segments[1]) else {
                return .error(
                    400,
                    code: "ExtensionError",
                    message: "Operation: Create; Exception: [Status Code: NotFound; Reason: The folder was not found.]",
                    requestID: requestID
                )
            }
            folderID = folder.id
        default:
            return .error(400, code: "InvalidRequest", message: "The resource '\(resource)' is not supported.", requestID: requestID)
        }
        guard let notificationURL = body["notificationUrl"]?.stringValue, Self.isAcceptable(url: notificationURL) else {
            return .error(
                400,
                code: "InvalidRequest",
                message: "notificationUrl must be an https URL (http is accepted for loopback hosts).",
                requestID: requestID
            )
        }
        let lifecycleURL = body["lifecycleNotificationUrl"]?.stringValue
        if let lifecycleURL, !Self.isAcceptable(url: lifecycleURL) {
            return .error(400, code: "InvalidRequest", message: "lifecycleNotificationUrl must be an https URL.", requestID: requestID)
        }
        let clientState = body["clientState"]?.stringValue
        if let clientState, clientState.count > 128 {
            return .error(400, code: "InvalidRequest", message: "clientState must be at most 128 characters.", requestID: requestID)
        }
        guard let expirationText = body["expirationDateTime"]?.stringValue else {
            return .error(400, code: "InvalidRequest", message: "expirationDateTime is required.", requestID: requestID)
        }
        let expiresAt: Date
        switch await self.expiration(expirationText, requestID: requestID) {
        case .failure(let failure): return failure.response
        case .success(let date): expiresAt = date
        }
        for url in [notificationURL] + (lifecycleURL.map { [$0] } ?? []) {
            if let failure = await self.validate(url: url, requestID: requestID) { return failure }
        }
        let subscription = Subscription(
            id: UUID().uuidString.lowercased(),
            mailboxID: mailboxID,
            applicationID: clientID,
            resource: resource,
            folderID: folderID,
            changeTypes: Set(changeTypes),
            notificationURL: notificationURL,
            lifecycleNotificationURL: lifecycleURL,
            clientState: clientState,
            expiresAt: expiresAt,
            latestSupportedTLSVersion: body["latestSupportedTlsVersion"]?.stringValue ?? "v1_2",
            immutableIDs: request.wantsImmutableIDs
        )
        await self.state.addSubscription(subscription)
        return .json(subscription.json(), status: 201)
    }

    /// The expiration Graph would keep: at least 45 minutes ahead, at most the configured maximum.
    private func expiration(_ text: String, requestID: String) async -> Result<Date, GraphFailure> {
        guard let requested = GraphDate.parse(text) else {
            return .failure(GraphFailure(.error(400, code: "InvalidRequest", message: "expirationDateTime is not a date.", requestID: requestID)))
        }
        let maximum = await self.state.faults.subscriptionMaxMinutes
        let now = Date()
        if requested > now.addingTimeInterval(Double(maximum) * 60 + 60) {
            return .failure(
                GraphFailure(
                    .error(
                        400,
                        code: "ExtensionError",
                        message: "Subscription expiration can only be \(maximum) minutes in the future.",
                        requestID: requestID
                    )
                )
            )
        }
        return .success(max(requested, now.addingTimeInterval(45 * 60)))
    }

    /// The validation handshake: the endpoint must echo the token, as text, with 200, within 10 seconds.
    private func validate(url: String, requestID: String) async -> GraphResponse? {
        let token = "Validation: Testing client application reachability for subscription Request-Id: \(UUID().uuidString.lowercased())"
        // Graph form-encodes the token: spaces become +.
        let encoded = FormURLEncoding.escape(token).replacingOccurrences(of: "%20", with: "+")
        let separator = url.contains("?") ? "&" : "?"
        guard let target = URL(string: "\(url)\(separator)validationToken=\(encoded)") else {
            return .error(400, code: "ValidationError", message: "Subscription validation request failed. The URL is invalid.", requestID: requestID)
        }
        let request = HTTPRequestData(
            method: "POST",
            url: target,
            headers: [("Content-Type", "text/plain; charset=utf-8")],
            body: Data(),
            timeout: .seconds(10)
        )
        let response: HTTPResponseData
        do {
            response = try await self.transport.send(request)
        } catch {
            return .error(400, code: "InvalidRequest", message: "Subscription validation request timed out.", requestID: requestID)
        }
        guard response.status == 200 else {
            return .error(
                400,
                code: "ValidationError",
                message: "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.",
                requestID: requestID
            )
        }
        guard String(decoding: response.body, as: UTF8.self) == token else {
            return .error(
                400,
                code: "ValidationError",
                message: "Subscription validation request failed. Response must exactly match validationToken query parameter.",
                requestID: requestID
            )
        }
        return nil
    }

    private static func isAcceptable(url text: String) -> Bool {
        guard let url = URL(string: text), let host = url.host else { return false }
        return url.scheme == "https" || (url.scheme == "http" && ["localhost", "127.0.0.1", "::1", "[::1]"].contains(host))
    }
}

/// A failed step that already has its Graph response.
struct GraphFailure: Error {
    let response: GraphResponse

    init(_ response: GraphResponse) {
        self.response = response
    }
}
