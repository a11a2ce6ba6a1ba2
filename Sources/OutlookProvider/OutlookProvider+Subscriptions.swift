public import Foundation
public import MailpulseCore
internal import MicrosoftGraph

extension OutlookProvider {
    public func subscribe(_ account: AccountID, request: SubscriptionRequest, accessToken: String) async throws -> AccountSubscription {
        try await Self.mapped {
            do {
                return try await self.createSubscription(request, expiration: request.expiration, accessToken: accessToken)
            } catch let error as GraphError {
                guard let allowed = Self.allowedExpiration(refusedBy: error, asked: request.expiration) else { throw error }
                return try await self.createSubscription(request, expiration: allowed, accessToken: accessToken)
            }
        }
    }

    public func renewSubscription(
        _ id: String,
        of account: AccountID,
        until expiration: Date,
        accessToken: String
    ) async throws
        -> AccountSubscription
    {
        try await Self.mapped {
            let renewed: GraphSubscription
            do {
                renewed = try await self.graph.renewSubscription(id, until: expiration, accessToken: accessToken)
            } catch let error as GraphError {
                guard let allowed = Self.allowedExpiration(refusedBy: error, asked: expiration) else { throw error }
                renewed = try await self.graph.renewSubscription(id, until: allowed, accessToken: accessToken)
            }
            return AccountSubscription(id: renewed.id, expiresAt: renewed.expirationDateTime)
        }
    }

    public func reauthorizeSubscription(_ id: String, of account: AccountID, accessToken: String) async throws {
        try await Self.mapped { try await self.graph.reauthorizeSubscription(id, accessToken: accessToken) }
    }

    public func deleteSubscription(_ id: String, of account: AccountID, accessToken: String) async throws {
        do {
            try await Self.mapped { try await self.graph.deleteSubscription(id, accessToken: accessToken) }
        } catch MailProviderError.notFound {
            return
        }
    }

    private func createSubscription(_ request: SubscriptionRequest, expiration: Date, accessToken: String) async throws -> AccountSubscription {
        let created = try await self.graph.createSubscription(
            notificationURL: request.notificationURL,
            lifecycleURL: request.lifecycleURL,
            clientState: request.clientState,
            expiration: expiration,
            accessToken: accessToken
        )
        return AccountSubscription(id: created.id, expiresAt: created.expirationDateTime)
    }

    /// When Graph refuses an expiry as too far ("Subscription expiration can only be 4230 minutes in the future."),
    /// the longest one it allows, a minute short for the clocks; `nil` for any other error. Graph's maximum has
    /// changed over the years, so it is read from the refusal rather than assumed.
    static func allowedExpiration(refusedBy error: GraphError, asked: Date) -> Date? {
        guard error.status == 400, error.message.localizedCaseInsensitiveContains("expiration") else { return nil }
        let minutes = error.message.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }.first ?? 4_230
        return min(asked, Date().addingTimeInterval(Double(minutes - 1) * 60))
    }
}
