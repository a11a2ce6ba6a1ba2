internal import Foundation
internal import HTTPTransport
internal import HTTPTypes
internal import Hummingbird
internal import MIME
internal import MailpulseCore
internal import Secrets
internal import SyncEngine

/// Opening and sending mail: a message with its body and attachments (read from the provider when first opened, then
/// kept), one attachment's bytes, and sending a new message, a reply or a forward.
struct MessageController: Sendable {
    let store: any MailStore
    let provider: any MailProvider
    let tokens: AccessTokenSource
    /// Opened messages' contents, kept or read.
    let contents: MessageContentSource
    let tokenVault: any TokenVault
    let backplane: any Backplane
    /// The largest attachment served.
    let maximumAttachmentBytes: Int
    /// How many messages one account may send.
    let sendLimit: RateLimit

    /// How long an `Idempotency-Key` is remembered after its message was sent.
    static let idempotencyLifetime = Duration.seconds(86_400)
    /// How long a send may hold its `Idempotency-Key` before a retry may try again.
    static let sendingLifetime = Duration.seconds(600)

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("api/accounts/:id/messages/:messageId", use: self.open)
        routes.get("api/accounts/:id/messages/:messageId/body", use: self.body)
        routes.get("api/accounts/:id/messages/:messageId/attachments/:attachmentId", use: self.attachment)
        routes.post("api/accounts/:id/messages/send", use: self.send)
        return routes
    }

    /// The backplane key of an account's send bucket.
    static func sendBucket(_ account: AccountID) -> String {
        "send:\(account)"
    }

    @Sendable func open(_ request: Request, context: AppRequestContext) async throws -> MessageDetail {
        let account = try await AccountCredentials.authenticate(request, context: context, store: self.store)
        let (message, content) = try await self.opened(try Self.messageID(context), of: account)
        return MessageDetail(message: message, content: content)
    }

    /// The body as a document of its own, for the pages' sandboxed frame: its policy lets nothing run, submit, or load
    /// from elsewhere (with `remote=1`, which the person asks for per message, images may load), and its sandbox gives
    /// it no origin, so nothing in it can reach the pages or the API.
    @Sendable func body(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try await AccountCredentials.authenticate(request, context: context, store: self.store)
        let (_, content) = try await self.opened(try Self.messageID(context), of: account)
        let remote = request.uri.queryParameters["remote"] == "1"
        let document =
            switch content.body.contentType {
            case .html: content.body.content
            case .text: "<pre style=\"white-space:pre-wrap;font:inherit\">\(HTMLText.escaped(content.body.content))</pre>"
            }
        let images = remote ? "img-src data: https: http:" : "img-src data:"
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .contentSecurityPolicy:
                    "sandbox; default-src 'none'; style-src 'unsafe-inline'; \(images); frame-ancestors 'self'; form-action 'none'; base-uri 'none'",
                .xFrameOptions: "SAMEORIGIN",
                .cacheControl: "private, no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(string: document))
        )
    }

    /// A live message of the account with its content (kept, else read from the provider and kept).
    private func opened(_ id: String, of account: Account) async throws -> (Message, MessageContent) {
        guard let message = try await self.store.message(id, of: account.id) else {
            throw HTTPError(.notFound, message: "no such message")
        }
        let read = try await self.fromProvider(account) { try await self.contents.content(of: id, of: account.id) }
        guard let content = read else { throw HTTPError(.notFound, message: "the message no longer exists at the provider") }
        return (message, content)
    }

    @Sendable func attachment(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try await AccountCredentials.authenticate(request, context: context, store: self.store)
        let id = try Self.messageID(context)
        guard let attachmentID = context.parameters.get("attachmentId")?.removingPercentEncoding, !attachmentID.isEmpty,
            attachmentID.utf8.count <= 1024
        else {
            throw HTTPError(.notFound, message: "no such attachment")
        }
        guard try await self.store.message(id, of: account.id) != nil else {
            throw HTTPError(.notFound, message: "no such message")
        }
        let limit = self.maximumAttachmentBytes
        let read = try await self.fromProvider(account) {
            try await self.tokens.withAccessToken(for: account.id) { token in
                try await self.provider.attachment(attachmentID, of: id, of: account.id, limit: limit, accessToken: token)
            }
        }
        guard let data = read else { throw HTTPError(.notFound, message: "no such attachment") }
        return Response(
            status: .ok,
            headers: [
                .contentType: Self.safeMediaType(data.contentType),
                .contentDisposition: Self.disposition(data.name),
                // Never run, never sniffed, never framed: a file is downloaded, not shown in this origin.
                .contentSecurityPolicy: "default-src 'none'; sandbox; frame-ancestors 'none'",
                .cacheControl: "private, no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: data.bytes))
        )
    }

    @Sendable func send(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try await AccountCredentials.authenticate(request, context: context, store: self.store)
        let key = try Self.idempotencyKey(request)
        let body = Data(try await request.body.collect(upTo: .max).readableBytesView)
        let input: SendMessageInput
        do {
            input = try JSONDecoder().decode(SendMessageInput.self, from: body)
        } catch {
            throw HTTPError(
                .badRequest,
                message:
                    "the body must be JSON: {\"to\":[{\"name\",\"address\"}],\"subject\",\"body\":{\"contentType\":\"html\"|\"text\",\"content\"}}"
            )
        }
        var original: Message?
        if let reference = try input.referencedID() {
            guard reference.utf8.count <= 1024, let stored = try await self.store.message(reference, of: account.id) else {
                throw HTTPError(.notFound, message: "no such message to \(input.replyTo != nil ? "reply to" : "forward")")
            }
            original = stored
        }
        let message = try input.message(original: original)
        try await self.checkSendPermission(account)

        let claim = key.map { "idempotency:\(account.id):\(SecretDigest.sha256($0).base64EncodedString())" }
        let fingerprint = SecretDigest.sha256(String(decoding: body, as: UTF8.self)).base64EncodedString()
        if let claim, let held = try await self.backplane.claim(claim, value: "\(fingerprint) sending", ttl: Self.sendingLifetime) {
            return try Self.replay(held, fingerprint: fingerprint)
        }
        do {
            if case .retryAfter(let wait) = try await self.backplane.takeTokens(1, from: Self.sendBucket(account.id), limit: self.sendLimit) {
                throw HTTPError(
                    .tooManyRequests,
                    headers: [.retryAfter: "\(wait.retryAfterSeconds)"],
                    message: "this account sends at most \(self.sendLimit.capacity) messages per \(Int(self.sendLimit.interval.timeInterval)) s; "
                        + "try again in \(wait.retryAfterSeconds) s"
                )
            }
            try await self.fromProvider(account) {
                try await self.tokens.withAccessToken(for: account.id) { token in
                    try await self.provider.send(message, from: account.id, accessToken: token)
                }
            }
        } catch {
            // Not sent: a retry with the same key may try again.
            if let claim { try? await self.backplane.forget([claim]) }
            throw error
        }
        let id = Base64URL.randomToken(bytes: 16)
        if let claim { try await self.backplane.record(claim, value: "\(fingerprint) \(id)", ttl: Self.idempotencyLifetime) }
        return try Self.json(.accepted, ["id": id])
    }

    /// An Outlook account linked before sending was asked for has no `Mail.Send` grant: it must be linked again.
    private func checkSendPermission(_ account: Account) async throws {
        guard account.provider == .outlook, let tokens = try await self.tokenVault.tokens(for: account.id) else { return }
        let granted = tokens.scope.split(separator: " ").map { $0.lowercased() }
        guard granted.contains(where: { $0 == "mail.send" || $0.hasSuffix("/mail.send") }) else {
            throw HTTPError(
                .forbidden,
                message:
                    "this account was linked without permission to send mail: link it again (POST /api/accounts/\(account.id)/relink) to grant Mail.Send"
            )
        }
    }

    /// Runs a provider call, its failures told as HTTP answers.
    private func fromProvider<T: Sendable>(_ account: Account, _ call: () async throws -> T) async throws -> T {
        do {
            return try await call()
        } catch let error as MailProviderError {
            switch error {
            case .notFound: throw HTTPError(.notFound, message: "the message no longer exists at the provider")
            case .tooLarge(let reason): throw HTTPError(.contentTooLarge, message: reason)
            case .refused(let reason): throw HTTPError(.badRequest, message: "the provider refused the message: \(reason)")
            case .permissionMissing(let reason): throw HTTPError(.forbidden, message: reason)
            case .reauthRequired(let reason):
                throw HTTPError(.conflict, message: "the account must be linked again (\(reason)): POST /api/accounts/\(account.id)/relink")
            case .throttled(let retryAfter):
                throw HTTPError(
                    .tooManyRequests,
                    headers: [.retryAfter: "\(retryAfter.retryAfterSeconds)"],
                    message: "the provider throttles this mailbox; try again later"
                )
            case .unavailable(let reason), .unauthorized(let reason), .failed(let reason):
                throw HTTPError(.badGateway, message: "the provider did not do it: \(reason)")
            case .cursorExpired:
                throw HTTPError(.badGateway, message: "the provider did not do it: \(error)")
            }
        }
    }

    /// What a request with an `Idempotency-Key` that was seen before gets: the first one's answer once it was sent.
    private static func replay(_ held: String, fingerprint: String) throws -> Response {
        let parts = held.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[0] == fingerprint else {
            throw HTTPError(.unprocessableContent, message: "this Idempotency-Key was used with another request body")
        }
        guard parts[1] != "sending" else {
            throw HTTPError(.conflict, message: "a request with this Idempotency-Key is being sent; ask again in a moment")
        }
        return try Self.json(.accepted, ["id": parts[1]], headers: [HTTPField.Name("Idempotent-Replayed")!: "true"])
    }

    private static func idempotencyKey(_ request: Request) throws -> String? {
        guard let key = request.headers[HTTPField.Name("Idempotency-Key")!] else { return nil }
        guard (1...255).contains(key.utf8.count), key.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw HTTPError(.badRequest, message: "Idempotency-Key must be 1 to 255 visible ASCII characters")
        }
        return key
    }

    private static func messageID(_ context: AppRequestContext) throws -> String {
        // Ids are sent percent-encoded (a page's encodeURIComponent): `/`, `+` and `=` are common in them.
        guard let id = context.parameters.get("messageId")?.removingPercentEncoding, !id.isEmpty, id.utf8.count <= 1024 else {
            throw HTTPError(.notFound, message: "no such message")
        }
        return id
    }

    /// The sender's media type when it is a plain `type/subtype`, else a download of bytes.
    private static func safeMediaType(_ type: String) -> String {
        let essence = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return SendMessageInput.isMediaType(essence) ? essence : "application/octet-stream"
    }

    /// `attachment` with the name in ASCII (others as `_`) and in full as RFC 5987 `filename*`.
    private static func disposition(_ name: String) -> String {
        let fallback = String(
            name.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" && $0.value != 0x7F ? Character($0) : "_" }
        )
        let encoded = name.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? ""
        return "attachment; filename=\"\(fallback.isEmpty ? "attachment" : fallback)\"; filename*=UTF-8''\(encoded)"
    }

    /// RFC 3986's unreserved characters, the ones `filename*` carries as they are.
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    private static func json(_ status: HTTPResponse.Status, _ object: [String: String], headers: HTTPFields = [:]) throws -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder().encode(object))))
    }
}
