internal import Foundation
internal import MicrosoftGraph

/// Everything the simulator knows: mailboxes, sign-ins and tokens, delta rounds, subscriptions, faults and counters.
actor SimulatorState {
    struct AuthorizationCode {
        var mailboxID: String
        var clientID: String
        var redirectURI: String
        var scopes: [String]
        var challenge: String?
        var challengeMethod: String
        /// The authorize request's `nonce`, echoed in the id_token.
        var nonce: String?
        var expiresAt: Date
    }

    struct Grant {
        var mailboxID: String
        var clientID: String
        var scopes: [String]
        var expiresAt: Date
    }

    struct DeltaRound {
        var mailboxID: String
        var folderID: String
        var select: [String]?
        var items: [DeltaItem]
        var position: Int
        var startSequence: Int
        var generation: Int
    }

    let configuration: SimulatorConfiguration
    // Changed in place through the subscript: a copy taken out and written back copies every message per change.
    private(set) var mailboxes: [String: SimulatedMailbox] = [:]
    private var mailboxOrder: [String] = []
    private var codes: [String: AuthorizationCode] = [:]
    private var redeemedCodes: Set<String> = []
    private var accessTokens: [String: Grant] = [:]
    private var refreshTokens: [String: Grant] = [:]
    private var rounds: [String: DeltaRound] = [:]
    /// Delta tokens of an older generation are expired (`expireDeltaTokens`).
    private(set) var tokenGeneration = 0
    private(set) var subscriptions: [String: Subscription] = [:]
    private(set) var faults = SimulatorFaults()
    private var buckets: [String: (tokens: Double, at: ContinuousClock.Instant)] = [:]
    private var inFlight: [String: Int] = [:]
    /// Per app and mailbox, the last 429's time and the end of its Retry-After.
    private var retryAfter: [String: (at: ContinuousClock.Instant, until: ContinuousClock.Instant)] = [:]
    private(set) var stats = SimulatorStats()

    init(configuration: SimulatorConfiguration) {
        self.configuration = configuration
    }

    // MARK: Mailboxes

    func createMailbox(address: String, displayName: String, messages: Int, seed: UInt64) -> SimulatedMailbox? {
        guard self.mailbox(address: address) == nil else { return nil }
        let mailbox = SimulatedMailbox(address: address, displayName: displayName, messageCount: messages, seed: seed)
        self.mailboxes[mailbox.id] = mailbox
        self.mailboxOrder.append(mailbox.id)
        return mailbox
    }

    func allMailboxes() -> [SimulatedMailbox] {
        self.mailboxOrder.compactMap { self.mailboxes[$0] }
    }

    func mailbox(address: String) -> SimulatedMailbox? {
        self.mailboxes.values.first { $0.address.caseInsensitiveCompare(address) == .orderedSame }
    }

    func mailbox(_ id: String) -> SimulatedMailbox? {
        self.mailboxes[id] ?? self.mailbox(address: id)
    }

    /// Delivers a new message to a folder; answers it and the notifications it causes. Every new message goes
    /// through here: mail arriving from the control API, and the copies ``send(from:draft:saveToSentItems:)`` stores.
    func addMessage(_ mailboxID: String, folder: String, draft: MessageDraft) -> (SimulatedMessage, [PendingNotification])? {
        guard let target = self.mailboxes[mailboxID]?.folder(folder),
            let message = self.mailboxes[mailboxID]?.insert(folderID: target.id, draft: draft),
            let mailbox = self.mailboxes[mailboxID]
        else { return nil }
        return (message, self.notifications(for: message, in: mailbox, changeType: "created"))
    }

    /// Sends a message as a mailbox's owner: a read copy in their Sent Items (unless `saveToSentItems` is false)
    /// and an unread copy in the Inbox of every recipient (to, cc or bcc) who is a simulated mailbox, without the
    /// bcc list. Answers the sender's copy, if kept, and the notifications.
    func send(from mailboxID: String, draft: MessageDraft, saveToSentItems: Bool) -> (SimulatedMessage?, [PendingNotification]) {
        guard let sender = self.mailboxes[mailboxID] else { return (nil, []) }
        var outgoing = draft
        outgoing.from = Recipient(name: sender.displayName, address: sender.address)
        outgoing.isDraft = false
        outgoing.internetMessageID = "<\(Self.randomToken(24))@sim>"
        outgoing.conversationID = draft.conversationID ?? "AAQkAD" + Self.randomToken(16) + "AAA="
        var saved: SimulatedMessage?
        var pending: [PendingNotification] = []
        if saveToSentItems {
            var copy = outgoing
            copy.isRead = true
            if let (message, notifications) = self.addMessage(mailboxID, folder: "sentitems", draft: copy) {
                saved = message
                pending += notifications
            }
        }
        var delivered = Set<String>()
        for recipient in (outgoing.toRecipients ?? []) + outgoing.ccRecipients + outgoing.bccRecipients {
            guard let mailbox = self.mailbox(address: recipient.address), delivered.insert(mailbox.id).inserted else { continue }
            var copy = outgoing
            copy.isRead = false
            copy.bccRecipients = []
            if let (_, notifications) = self.addMessage(mailbox.id, folder: "inbox", draft: copy) {
                pending += notifications
            }
        }
        return (saved, pending)
    }

    /// Changes a message as the user would in Outlook; answers it and the notifications it causes.
    func updateMessage(
        _ mailboxID: String,
        messageID: String,
        isRead: Bool?,
        flag: String?,
        subject: String?
    ) -> (
        SimulatedMessage, [PendingNotification]
    )? {
        guard let message = self.mailboxes[mailboxID]?.update(messageID, isRead: isRead, flag: flag, subject: subject),
            let mailbox = self.mailboxes[mailboxID]
        else { return nil }
        return (message, self.notifications(for: message, in: mailbox, changeType: "updated"))
    }

    /// Deletes a message for good; answers what it was and the notifications it causes.
    func deleteMessage(_ mailboxID: String, messageID: String) -> (SimulatedMessage, [PendingNotification])? {
        guard let message = self.mailboxes[mailboxID]?.delete(messageID), let mailbox = self.mailboxes[mailboxID] else { return nil }
        return (message, self.notifications(for: message, in: mailbox, changeType: "deleted"))
    }

    /// Creates a folder as the user would in Outlook; `nil` when the mailbox does not exist.
    func createFolder(_ mailboxID: String, displayName: String, parent: String) throws(SimulatedMailbox.FolderFailure) -> SimulatedFolder? {
        try self.mailboxes[mailboxID]?.createFolder(displayName: displayName, parent: parent)
    }

    /// Renames or moves a folder as the user would in Outlook; `nil` when the mailbox does not exist.
    func updateFolder(
        _ mailboxID: String,
        folderID: String,
        displayName: String?,
        parent: String?
    ) throws(SimulatedMailbox.FolderFailure) -> SimulatedFolder? {
        try self.mailboxes[mailboxID]?.updateFolder(folderID, displayName: displayName, parent: parent)
    }

    /// Deletes a folder as Outlook does; answers the notifications of the messages it took away for good, or `nil`
    /// when the mailbox does not exist.
    func deleteFolder(_ mailboxID: String, folderID: String) throws(SimulatedMailbox.FolderFailure) -> [PendingNotification]? {
        guard let deleted = try self.mailboxes[mailboxID]?.deleteFolder(folderID), let mailbox = self.mailboxes[mailboxID] else { return nil }
        return deleted.flatMap { self.notifications(for: $0, in: mailbox, changeType: "deleted") }
    }

    /// Moves a message and answers the notifications: deleted in the source scope, created in the destination's.
    func move(_ mailboxID: String, messageID: String, to destination: String) -> (SimulatedMessage, [PendingNotification])? {
        guard let source = self.mailboxes[mailboxID]?.message(messageID), let folder = self.mailboxes[mailboxID]?.folder(destination),
            let moved = self.mailboxes[mailboxID]?.move(messageID, to: folder.id), let mailbox = self.mailboxes[mailboxID]
        else { return nil }
        var sourceView = moved
        sourceView.folderID = source.folderID
        sourceView.restID = source.restID
        let pending =
            self.notifications(for: sourceView, in: mailbox, changeType: "deleted", onlyFolderScoped: true)
            + self.notifications(for: moved, in: mailbox, changeType: "created", onlyFolderScoped: true)
            + self.notifications(for: moved, in: mailbox, changeType: "updated", onlyMailboxScoped: true)
        return (moved, pending)
    }

    // MARK: Identity

    func issueCode(_ code: AuthorizationCode) -> String {
        let value = "M.C5_BAY." + Self.randomToken(48)
        self.codes[value] = code
        return value
    }

    enum IdentityFailure: Error {
        case invalidGrant(code: Int, message: String)
    }

    struct TokenGrant {
        var accessToken: String
        var refreshToken: String?
        var idToken: String?
        var scopes: [String]
        var expiresIn: Int
    }

    func redeem(code: String, clientID: String, redirectURI: String, verifier: String?) throws(IdentityFailure) -> TokenGrant {
        if self.redeemedCodes.contains(code) {
            throw .invalidGrant(
                code: 54005,
                message: "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token."
            )
        }
        guard let grant = self.codes[code] else {
            throw .invalidGrant(code: 70000, message: "The provided value for the 'code' parameter is not valid.")
        }
        guard grant.expiresAt > Date() else {
            self.codes[code] = nil
            throw .invalidGrant(code: 70008, message: "The provided authorization code or refresh token has expired due to inactivity.")
        }
        guard grant.clientID == clientID else {
            throw .invalidGrant(
                code: 70000,
                message: "The provided value for the 'code' parameter is not valid. The code was issued to a different client."
            )
        }
        guard grant.redirectURI == redirectURI else {
            throw .invalidGrant(
                code: 50011,
                message: "The redirect URI '\(redirectURI)' specified in the request does not match the redirect URI of the authorization request."
            )
        }
        if let challenge = grant.challenge {
            guard let verifier, (43...128).contains(verifier.count) else {
                throw .invalidGrant(
                    code: 501481,
                    message: "The Code_Verifier does not match the code_challenge supplied in the authorization request."
                )
            }
            let expected = grant.challengeMethod == "S256" ? PKCEPair(verifier: verifier).challenge : verifier
            guard expected == challenge else {
                throw .invalidGrant(
                    code: 501481,
                    message: "The Code_Verifier does not match the code_challenge supplied in the authorization request."
                )
            }
        }
        self.codes[code] = nil
        self.redeemedCodes.insert(code)
        return self.grantTokens(mailboxID: grant.mailboxID, clientID: clientID, scopes: grant.scopes, nonce: grant.nonce)
    }

    /// Redeems a refresh token; it rotates: the one used is spent, and a second use fails.
    func refresh(token: String, clientID: String) throws(IdentityFailure) -> TokenGrant {
        guard let grant = self.refreshTokens[token], grant.clientID == clientID else {
            throw .invalidGrant(
                code: 9_002_313,
                message: "Invalid request. Request is malformed or invalid. The refresh token is not valid or was already used."
            )
        }
        guard grant.expiresAt > Date() else {
            throw .invalidGrant(code: 700082, message: "The refresh token has expired due to inactivity.")
        }
        self.refreshTokens[token] = nil
        self.stats.tokenRefreshes += 1
        return self.grantTokens(mailboxID: grant.mailboxID, clientID: clientID, scopes: grant.scopes, nonce: nil)
    }

    private func grantTokens(mailboxID: String, clientID: String, scopes: [String], nonce: String?) -> TokenGrant {
        let access = "EwA" + Self.randomToken(96)
        let lifetime = self.configuration.accessTokenLifetime
        self.accessTokens[access] = Grant(
            mailboxID: mailboxID,
            clientID: clientID,
            scopes: scopes,
            expiresAt: Date().addingTimeInterval(Double(lifetime))
        )
        var refresh: String?
        if scopes.contains(where: { $0.caseInsensitiveCompare("offline_access") == .orderedSame }) {
            let token = "M.C5_BAY.-" + Self.randomToken(96)
            self.refreshTokens[token] = Grant(
                mailboxID: mailboxID,
                clientID: clientID,
                scopes: scopes,
                expiresAt: Date().addingTimeInterval(90 * 86_400)
            )
            refresh = token
        }
        var idToken: String?
        if scopes.contains(where: { $0.caseInsensitiveCompare("openid") == .orderedSame }), let mailbox = self.mailboxes[mailboxID] {
            idToken =
                IDToken(
                    clientID: clientID,
                    tenantID: self.configuration.tenantID,
                    userID: mailbox.id,
                    address: mailbox.address,
                    displayName: mailbox.displayName,
                    scopes: scopes,
                    nonce: nonce,
                    issuedAt: Date()
                ).text
        }
        return TokenGrant(accessToken: access, refreshToken: refresh, idToken: idToken, scopes: scopes, expiresIn: lifetime)
    }

    /// The grant of an access token, when it is known and not expired.
    func grant(forAccessToken token: String) -> Grant? {
        guard let grant = self.accessTokens[token], grant.expiresAt > Date() else { return nil }
        return grant
    }

    /// Makes every access token of a mailbox expire now (a control-API knob for tests of the 401 path).
    func expireAccessTokens(mailboxID: String) {
        for (token, grant) in self.accessTokens where grant.mailboxID == mailboxID {
            self.accessTokens[token]?.expiresAt = .distantPast
        }
    }

    // MARK: Throttling and faults

    enum Admission {
        case admitted
        case throttled(retryAfter: Int, message: String)
        case serverError
    }

    /// Admits a Graph request of an app on a mailbox under Graph's limits, or says why not.
    func admit(clientID: String, mailboxID: String, endpoint: String) -> Admission {
        self.stats.count(endpoint: endpoint, mailboxID: mailboxID)
        let key = "\(clientID)|\(mailboxID)"
        let now = ContinuousClock.now
        // A request sent while a Retry-After runs is the client's fault; one already on its way when the 429 left
        // (arriving within the grace) is not.
        if let window = self.retryAfter[key], now - window.at > Self.retryAfterGrace, now < window.until {
            self.stats.requestsDuringRetryAfter += 1
        }
        if self.inFlight[key, default: 0] >= self.faults.concurrentRequests {
            return self.throttle(key, retryAfter: 1, at: now)
        }
        let capacity = Double(self.faults.requestsPer10Minutes)
        var bucket = self.buckets[key] ?? (capacity, now)
        let elapsed = now - bucket.at
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        bucket.tokens = min(capacity, bucket.tokens + seconds * capacity / 600)
        bucket.at = now
        guard bucket.tokens >= 1 else {
            self.buckets[key] = bucket
            return self.throttle(key, retryAfter: max(1, Int(((1 - bucket.tokens) * 600 / capacity).rounded(.up))), at: now)
        }
        bucket.tokens -= 1
        self.buckets[key] = bucket
        if self.faults.throttleRate > 0, Double.random(in: 0..<1) < self.faults.throttleRate {
            // Two seconds: longer than the grace, so a client that ignores Retry-After is caught in the second one.
            return self.throttle(key, retryAfter: 2, at: now)
        }
        if self.faults.serverErrorRate > 0, Double.random(in: 0..<1) < self.faults.serverErrorRate {
            return .serverError
        }
        self.inFlight[key, default: 0] += 1
        return .admitted
    }

    /// A loaded 2-core machine can take this long between a client's last check of its pause and its request
    /// reaching the simulator (measured: 250 ms was exceeded under the full test suite).
    private static let retryAfterGrace = Duration.seconds(1)

    private func throttle(_ key: String, retryAfter: Int, at now: ContinuousClock.Instant) -> Admission {
        self.stats.throttled += 1
        self.retryAfter[key] = (now, now + .seconds(retryAfter))
        return .throttled(retryAfter: retryAfter, message: "Application is over its MailboxConcurrency limit.")
    }

    /// Ends a request admitted by ``admit(clientID:mailboxID:endpoint:)``.
    func finish(clientID: String, mailboxID: String) {
        self.inFlight["\(clientID)|\(mailboxID)", default: 1] -= 1
    }

    func setFaults(_ faults: SimulatorFaults) {
        if faults.expireDeltaTokens {
            self.tokenGeneration += 1
        }
        self.faults = faults
    }

    func recordDelivery(_ outcome: SimulatorStats.Delivery) {
        self.stats.record(outcome)
    }

    // MARK: Delta

    enum DeltaFailure: Error {
        case syncStateNotFound
        case folderNotFound
    }

    /// Starts a delta round of a folder from a cursor (`nil` for an initial round); answers its first skip token.
    func startRound(mailboxID: String, folderID: String, select: [String]?, after sequence: Int?, generation: Int?) throws(DeltaFailure) -> String {
        guard let mailbox = self.mailboxes[mailboxID] else { throw .folderNotFound }
        if let generation, generation < self.tokenGeneration {
            throw .syncStateNotFound
        }
        let token = Self.randomToken(32)
        self.rounds[token] = DeltaRound(
            mailboxID: mailboxID,
            folderID: folderID,
            select: select,
            items: mailbox.deltaItems(folderID: folderID, after: sequence),
            position: 0,
            startSequence: mailbox.sequence,
            generation: self.tokenGeneration
        )
        return token
    }

    struct DeltaPage {
        var items: [JSONValue]
        var nextSkipToken: String?
        var deltaToken: DeltaToken?
    }

    /// Serves the next page of a round: the items, then either the next skip token or the round's delta token.
    func page(skipToken: String, mailboxID: String, size: Int, immutableIDs: Bool) throws(DeltaFailure) -> DeltaPage {
        // A nextLink can be followed again (a client that crashed before storing a page asks for it once more), so
        // the round stays under its token; the next page gets a token of its own.
        guard var round = self.rounds[skipToken], round.mailboxID == mailboxID else { throw .syncStateNotFound }
        if round.generation < self.tokenGeneration { throw .syncStateNotFound }
        guard let mailbox = self.mailboxes[mailboxID] else { throw .folderNotFound }
        var items: [JSONValue] = []
        while items.count < size, round.position < round.items.count {
            defer { round.position += 1 }
            switch round.items[round.position] {
            case .present(let immutableID):
                // A message that left the folder since the round began is reported by the next round.
                guard let message = mailbox.messages[immutableID], message.folderID == round.folderID else { continue }
                let id = immutableIDs ? message.immutableID : message.restID
                items.append(message.json(id: id, select: round.select, withODataType: true))
            case .removed(let immutableID, let restID):
                items.append(
                    .object([
                        ("@odata.type", .string("#microsoft.graph.message")),
                        ("id", .string(immutableIDs ? immutableID : restID)),
                        ("@removed", .object([("reason", .string("deleted"))])),
                    ])
                )
            }
        }
        if round.position < round.items.count {
            let next = Self.randomToken(32)
            self.rounds[next] = round
            return DeltaPage(items: items, nextSkipToken: next, deltaToken: nil)
        }
        let token = DeltaToken(folderID: round.folderID, sequence: round.startSequence, generation: round.generation, select: round.select)
        return DeltaPage(items: items, nextSkipToken: nil, deltaToken: token)
    }

    // MARK: Subscriptions

    func addSubscription(_ subscription: Subscription) {
        self.subscriptions[subscription.id] = subscription
    }

    func subscription(_ id: String) -> Subscription? {
        self.subscriptions[id]
    }

    func renewSubscription(_ id: String, until: Date) -> Subscription? {
        self.subscriptions[id]?.expiresAt = until
        return self.subscriptions[id]
    }

    /// Ends a subscription's life now (a control-API knob: Graph's shortest lifetime is 45 minutes).
    func expireSubscription(_ id: String) -> Bool {
        guard self.subscriptions[id] != nil else { return false }
        self.subscriptions[id]?.expiresAt = Date()
        return true
    }

    func removeSubscription(_ id: String) -> Subscription? {
        self.subscriptions.removeValue(forKey: id)
    }

    /// The change notifications a change causes, one per live subscription whose scope and change types match.
    private func notifications(
        for message: SimulatedMessage,
        in mailbox: SimulatedMailbox,
        changeType: String,
        onlyFolderScoped: Bool = false,
        onlyMailboxScoped: Bool = false
    ) -> [PendingNotification] {
        let now = Date()
        return self.subscriptions.values
            .filter { subscription in
                subscription.mailboxID == mailbox.id && subscription.expiresAt > now && subscription.changeTypes.contains(changeType)
                    && (subscription.folderID == nil ? !onlyFolderScoped : (!onlyMailboxScoped && subscription.folderID == message.folderID))
            }
            .sorted { $0.id < $1.id }
            .map { subscription in
                let id = subscription.immutableIDs ? message.immutableID : message.restID
                let resource = "Users/\(mailbox.id)/Messages/\(id)"
                let body = PendingNotification.collection([
                    ("subscriptionId", .string(subscription.id)),
                    ("subscriptionExpirationDateTime", .string(GraphDate.formatPrecise(subscription.expiresAt))),
                    ("changeType", .string(changeType)),
                    ("resource", .string(resource)),
                    (
                        "resourceData",
                        .object([
                            ("@odata.type", .string("#Microsoft.Graph.Message")),
                            ("@odata.id", .string(resource)),
                            ("@odata.etag", .string("W/\"\(message.changeKey)\"")),
                            ("id", .string(id)),
                        ])
                    ),
                    ("clientState", subscription.clientState.map(JSONValue.string) ?? .null),
                    ("tenantId", .string(self.configuration.tenantID)),
                ])
                return PendingNotification(url: subscription.notificationURL, body: body, isLifecycle: false)
            }
    }

    /// A lifecycle notification for a subscription, or `nil` when it has no lifecycle URL.
    func lifecycleNotification(subscriptionID: String, event: String) -> PendingNotification? {
        guard let subscription = self.subscriptions[subscriptionID], let url = subscription.lifecycleNotificationURL else { return nil }
        if event == "subscriptionRemoved" {
            self.subscriptions[subscriptionID] = nil
        }
        let body = PendingNotification.collection([
            ("subscriptionId", .string(subscription.id)),
            ("subscriptionExpirationDateTime", .string(GraphDate.formatPrecise(subscription.expiresAt))),
            ("tenantId", .string(self.configuration.tenantID)),
            ("clientState", subscription.clientState.map(JSONValue.string) ?? .null),
            ("lifecycleEvent", .string(event)),
        ])
        return PendingNotification(url: url, body: body, isLifecycle: true)
    }

    static func randomToken(_ length: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<length).map { _ in alphabet.randomElement()! })
    }
}
