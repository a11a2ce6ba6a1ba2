public import Foundation
internal import HTTPTransport

extension GraphClient {
    /// Asks for ids that survive moves, on every request (Graph applies it per request).
    static let immutableIDs = ("Prefer", "IdType=\"ImmutableId\"")

    /// A page of the folder tree's delta: from the start when `link` is nil, else from a nextLink or deltaLink.
    public func mailFolderDelta(link: String?, accessToken: String) async throws -> GraphPage<GraphMailFolder> {
        try await self.get(link ?? "me/mailFolders/delta", accessToken: accessToken, headers: [Self.immutableIDs])
    }

    /// A page of a folder's message delta: from the start (with the indexed fields selected) when `link` is nil,
    /// else from a nextLink or deltaLink, which carry the selection.
    public func messageDelta(folderID: String, link: String?, pageSize: Int, accessToken: String) async throws -> GraphPage<GraphMessage> {
        let start = "me/mailFolders/\(FormURLEncoding.escape(folderID))/messages/delta?$select=\(GraphMessage.selectList)"
        return try await self.get(
            link ?? start,
            accessToken: accessToken,
            headers: [("Prefer", "odata.maxpagesize=\(pageSize)"), Self.immutableIDs]
        )
    }

    /// One message with the indexed fields.
    public func message(_ id: String, accessToken: String) async throws -> GraphMessage {
        try await self.get(
            "me/messages/\(FormURLEncoding.escape(id))?$select=\(GraphMessage.selectList)",
            accessToken: accessToken,
            headers: [Self.immutableIDs]
        )
    }

    /// A message's body (HTML as the sender wrote it, else text), Bcc recipients and attachments (without their bytes).
    public func messageContent(_ id: String, accessToken: String) async throws -> GraphMessageContent {
        try await self.get(
            "me/messages/\(FormURLEncoding.escape(id))?\(GraphMessageContent.query)",
            accessToken: accessToken,
            headers: [Self.immutableIDs]
        )
    }

    /// One attachment's description, without its bytes.
    public func attachment(_ id: String, of message: String, accessToken: String) async throws -> GraphAttachment {
        try await self.get(
            "me/messages/\(FormURLEncoding.escape(message))/attachments/\(FormURLEncoding.escape(id))?$select=\(GraphAttachment.selectList)",
            accessToken: accessToken,
            headers: [Self.immutableIDs]
        )
    }

    /// One attachment's raw bytes (`$value`).
    public func attachmentBytes(_ id: String, of message: String, accessToken: String) async throws -> Data {
        let url = URL(
            string: "\(self.baseURL.absoluteString)/me/messages/\(FormURLEncoding.escape(message))/attachments/\(FormURLEncoding.escape(id))/$value"
        )!
        return try await self.send(HTTPRequestData(method: "GET", url: url, headers: [Self.immutableIDs]), accessToken: accessToken).body
    }

    /// `POST /me/sendMail`: Graph submits the message and saves it to Sent Items (202, no body).
    public func sendMail(_ message: GraphOutgoingMessage, accessToken: String) async throws {
        _ = try await self.sendJSONBody("POST", "me/sendMail", body: SendMailBody(message: message, saveToSentItems: true), accessToken: accessToken)
    }

    /// `POST /me/messages/{id}/reply` or `/forward`: sent in the original's conversation, saved to Sent Items.
    public func respond(to original: String, forwarding: Bool, with message: GraphOutgoingMessage, accessToken: String) async throws {
        let action = forwarding ? "forward" : "reply"
        _ = try await self.sendJSONBody(
            "POST",
            "me/messages/\(FormURLEncoding.escape(original))/\(action)",
            body: ResponseBody(message: message),
            accessToken: accessToken
        )
    }

    private struct SendMailBody: Encodable {
        var message: GraphOutgoingMessage
        var saveToSentItems: Bool
    }

    private struct ResponseBody: Encodable {
        var message: GraphOutgoingMessage
    }

    /// Creates a subscription to the signed-in user's messages; Graph validates both URLs before it answers.
    public func createSubscription(
        notificationURL: String,
        lifecycleURL: String,
        clientState: String,
        expiration: Date,
        accessToken: String
    ) async throws -> GraphSubscription {
        let body: [String: String] = [
            "changeType": "created,updated,deleted",
            "notificationUrl": notificationURL,
            "lifecycleNotificationUrl": lifecycleURL,
            "resource": "me/messages",
            "expirationDateTime": expiration.formatted(.iso8601),
            "clientState": clientState,
            "latestSupportedTlsVersion": "v1_2",
        ]
        return try await self.sendJSON("POST", "subscriptions", body: body, accessToken: accessToken)
    }

    /// Renews a subscription until `expiration`; a 404 means it is gone and must be created again.
    public func renewSubscription(_ id: String, until expiration: Date, accessToken: String) async throws -> GraphSubscription {
        try await self.sendJSON(
            "PATCH",
            "subscriptions/\(FormURLEncoding.escape(id))",
            body: ["expirationDateTime": expiration.formatted(.iso8601)],
            accessToken: accessToken
        )
    }

    /// Reauthorizes a subscription Graph asked about (`reauthorizationRequired`), keeping its expiry.
    public func reauthorizeSubscription(_ id: String, accessToken: String) async throws {
        let url = URL(string: "\(self.baseURL.absoluteString)/subscriptions/\(FormURLEncoding.escape(id))/reauthorize")!
        _ = try await self.send(HTTPRequestData(method: "POST", url: url), accessToken: accessToken)
    }

    /// Deletes a subscription.
    public func deleteSubscription(_ id: String, accessToken: String) async throws {
        let url = URL(string: "\(self.baseURL.absoluteString)/subscriptions/\(FormURLEncoding.escape(id))")!
        _ = try await self.send(HTTPRequestData(method: "DELETE", url: url), accessToken: accessToken)
    }

    /// Sends `body` as JSON and decodes the answer.
    private func sendJSON<Response: Decodable>(_ method: String, _ path: String, body: some Encodable, accessToken: String) async throws -> Response {
        let response = try await self.sendJSONBody(method, path, body: body, accessToken: accessToken)
        do {
            return try JSONDecoder().decode(Response.self, from: response.body)
        } catch {
            throw GraphError(status: response.status, code: "InvalidResponse", message: "the answer is not the documented JSON")
        }
    }

    /// Sends `body` as JSON; the answer as it came (a 202 of `sendMail` has none).
    private func sendJSONBody(_ method: String, _ path: String, body: some Encodable, accessToken: String) async throws -> HTTPResponseData {
        let request = HTTPRequestData(
            method: method,
            url: URL(string: "\(self.baseURL.absoluteString)/\(path)")!,
            headers: [("Content-Type", "application/json"), Self.immutableIDs],
            body: try JSONEncoder().encode(body)
        )
        return try await self.send(request, accessToken: accessToken)
    }
}
