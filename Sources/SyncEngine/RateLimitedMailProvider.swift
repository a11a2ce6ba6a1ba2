public import Foundation
public import MailpulseCore
internal import Metrics

/// Keeps every mailbox within the provider's limits across all nodes: each mailbox call waits out the mailbox's
/// pause, takes a token from its bucket and one of its concurrency leases; a throttled answer pauses the mailbox
/// on every node for the provider's `Retry-After`; failures that may pass are retried with backoff and jitter.
///
/// Sign-in and token calls go to the identity platform, which has no mailbox limits: they pass straight through.
public struct RateLimitedMailProvider: MailProvider {
    private let base: any MailProvider
    private let kind: MailProviderKind
    private let backplane: any Backplane
    private let limit: RateLimit
    private let concurrency: Int
    private let retry: RetryPolicy
    private let leaseTTL: Duration
    private let events: (any AccountEventPublisher)?
    private let clock: any Clock<Duration>

    /// Wraps the provider of `kind` (the metrics' `provider` label). `limit` and `concurrency` are per mailbox (each
    /// kind has its own: Graph allows 10,000 requests per 10 minutes, 4 at a time); a lease whose holder died frees
    /// itself after `leaseTTL`. Throttling pauses are told to `events`. Waits (pauses, empty buckets, back-off) run on
    /// `clock`, the backplane's.
    public init(
        _ base: any MailProvider,
        kind: MailProviderKind,
        backplane: any Backplane,
        limit: RateLimit = RateLimit(capacity: 10_000, per: .seconds(600)),
        concurrency: Int = 4,
        retry: RetryPolicy = RetryPolicy(),
        leaseTTL: Duration = .seconds(120),
        events: (any AccountEventPublisher)? = nil,
        clock: any Clock<Duration> = ContinuousClock()
    ) {
        self.base = base
        self.kind = kind
        self.backplane = backplane
        self.limit = limit
        self.concurrency = concurrency
        self.retry = retry
        self.leaseTTL = leaseTTL
        self.events = events
        self.clock = clock
    }

    public func beginLogin(for account: AccountID, state: String) async throws -> LoginRequest {
        try await self.base.beginLogin(for: account, state: state)
    }

    public func redeemLogin(code: String, verifier: String, for account: AccountID) async throws -> OAuthTokens {
        try await self.base.redeemLogin(code: code, verifier: verifier, for: account)
    }

    public func identity(of account: AccountID, accessToken: String) async throws -> AccountIdentity {
        try await self.limited(account, "me") { try await self.base.identity(of: account, accessToken: accessToken) }
    }

    public func refreshTokens(_ tokens: OAuthTokens, of account: AccountID) async throws -> OAuthTokens {
        try await self.base.refreshTokens(tokens, of: account)
    }

    public func mailboxes(of account: AccountID, accessToken: String) async throws -> [Mailbox] {
        try await self.limited(account, "mailFolders") { try await self.base.mailboxes(of: account, accessToken: accessToken) }
    }

    public func messageChanges(of account: AccountID, mailbox: String, link: String?, accessToken: String) async throws -> MessageChanges {
        try await self.limited(account, "messages.delta") {
            try await self.base.messageChanges(of: account, mailbox: mailbox, link: link, accessToken: accessToken)
        }
    }

    public func message(_ id: String, of account: AccountID, accessToken: String) async throws -> Message? {
        try await self.limited(account, "messages.get") { try await self.base.message(id, of: account, accessToken: accessToken) }
    }

    public func content(of message: String, of account: AccountID, accessToken: String) async throws -> MessageContent? {
        try await self.limited(account, "messages.content") { try await self.base.content(of: message, of: account, accessToken: accessToken) }
    }

    public func attachment(_ id: String, of message: String, of account: AccountID, limit: Int, accessToken: String) async throws -> AttachmentData? {
        try await self.limited(account, "attachments.get") {
            try await self.base.attachment(id, of: message, of: account, limit: limit, accessToken: accessToken)
        }
    }

    public func send(_ message: OutgoingMessage, from account: AccountID, accessToken: String) async throws {
        // A send that failed in transit may have been delivered: only a throttled one (refused before it was taken) is tried again.
        try await self.limited(account, "messages.send", retriesUnavailable: false) {
            try await self.base.send(message, from: account, accessToken: accessToken)
        }
    }

    public func subscribe(_ account: AccountID, request: SubscriptionRequest, accessToken: String) async throws -> AccountSubscription {
        try await self.limited(account, "subscriptions.create") { try await self.base.subscribe(account, request: request, accessToken: accessToken) }
    }

    public func renewSubscription(
        _ id: String,
        of account: AccountID,
        until expiration: Date,
        accessToken: String
    ) async throws
        -> AccountSubscription
    {
        try await self.limited(account, "subscriptions.renew") {
            try await self.base.renewSubscription(id, of: account, until: expiration, accessToken: accessToken)
        }
    }

    public func reauthorizeSubscription(_ id: String, of account: AccountID, accessToken: String) async throws {
        try await self.limited(account, "subscriptions.reauthorize") {
            try await self.base.reauthorizeSubscription(id, of: account, accessToken: accessToken)
        }
    }

    public func deleteSubscription(_ id: String, of account: AccountID, accessToken: String) async throws {
        try await self.limited(account, "subscriptions.delete") { try await self.base.deleteSubscription(id, of: account, accessToken: accessToken) }
    }

    /// The backplane key of a mailbox's bucket, lease set and pause.
    public static func mailboxKey(_ account: AccountID) -> String {
        "mailbox:\(account)"
    }

    /// Runs one provider call for `endpoint` (a name for the metrics) within the mailbox's limits.
    /// With `retriesUnavailable` false, a failure that may pass is thrown at once rather than tried again.
    private func limited<T: Sendable>(
        _ account: AccountID,
        _ endpoint: String,
        retriesUnavailable: Bool = true,
        _ call: () async throws -> T
    ) async throws -> T {
        let key = Self.mailboxKey(account)
        var failures = 0
        while true {
            let lease = try await self.admit(key)
            do {
                let result = try await call()
                Counter(
                    label: "mailpulse_provider_requests_total",
                    dimensions: [("provider", self.kind.rawValue), ("endpoint", endpoint), ("outcome", "ok")]
                ).increment()
                try await self.backplane.releaseLease(lease)
                return result
            } catch let error as MailProviderError {
                Counter(
                    label: "mailpulse_provider_requests_total",
                    dimensions: [("provider", self.kind.rawValue), ("endpoint", endpoint), ("outcome", error.outcome)]
                ).increment()
                failures += 1
                try await self.recover(
                    from: error,
                    failures: failures,
                    retriesUnavailable: retriesUnavailable,
                    lease: lease,
                    key: key,
                    account: account
                )
            } catch {
                try? await self.backplane.releaseLease(lease)
                throw error
            }
        }
    }

    /// After a failed call: on throttling, pauses the mailbox for the provider's `Retry-After`; on unavailability,
    /// backs off; either until it has lasted too long. Anything else is thrown at once.
    private func recover(
        from error: MailProviderError,
        failures: Int,
        retriesUnavailable: Bool,
        lease: Lease,
        key: String,
        account: AccountID
    ) async throws {
        switch error {
        case .throttled(let retryAfter):
            // Pause before freeing the slot, so that no other caller slips a request in between.
            try await self.backplane.pause(key, for: retryAfter)
            try await self.backplane.releaseLease(lease)
            FloatingPointCounter(label: "mailpulse_provider_pause_seconds_total", dimensions: [("provider", self.kind.rawValue)]).increment(
                by: retryAfter.timeInterval
            )
            let seconds = retryAfter.timeInterval.formatted(.number.precision(.fractionLength(0...1)))
            await self.events?.publish(.activity("Throttled by the provider: requests paused for \(seconds) s"), for: account)
            // Throttling ends by itself: keep waiting, but not forever if the provider never relents.
            if failures >= self.retry.attempts * 4 { throw error }
        case .unavailable:
            try await self.backplane.releaseLease(lease)
            if !retriesUnavailable || failures >= self.retry.attempts { throw error }
            try await self.clock.sleep(for: self.retry.delay(after: failures))
        default:
            try? await self.backplane.releaseLease(lease)
            throw error
        }
    }

    /// Waits until the mailbox is not paused, has a token and a free slot; answers the slot.
    private func admit(_ key: String) async throws -> Lease {
        while true {
            if let pause = try await self.backplane.remainingPause(key) {
                try await self.clock.sleep(for: pause)
                continue
            }
            if case .retryAfter(let wait) = try await self.backplane.takeTokens(1, from: key, limit: self.limit) {
                try await self.clock.sleep(for: wait)
                continue
            }
            while true {
                if let lease = try await self.backplane.acquireLease(key, limit: self.concurrency, ttl: self.leaseTTL) {
                    // A pause may have begun while this caller waited for a slot.
                    guard try await self.backplane.remainingPause(key) == nil else {
                        try await self.backplane.releaseLease(lease)
                        break
                    }
                    return lease
                }
                try await self.clock.sleep(for: .milliseconds(Int.random(in: 5...25)))
            }
        }
    }
}
