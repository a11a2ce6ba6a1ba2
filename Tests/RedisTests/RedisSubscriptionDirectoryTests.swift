import Foundation
import MailpulseCore
import Redis
import RedisBackplane
import TestSupport
import Testing

@Suite(.enabled(if: TestEnvironment.hasRedis, "needs REDIS_URL (make test provides it)"))
struct RedisSubscriptionDirectoryTests {
    let client = TestEnvironment.redisClient(maximumConnections: 2)
    let prefix = TestEnvironment.uniquePrefix()

    @Test func aNotificationIsValidOnlyWithItsSubscriptionsSecret() async throws {
        let directory = RedisSubscriptionDirectory(client: self.client, prefix: self.prefix)
        let account = AccountID.random()
        try await directory.register("sub-1", account: account, clientState: "s3cret", expiresAt: Date(timeIntervalSinceNow: 3600))
        #expect(try await directory.check("sub-1", clientState: "s3cret") == .valid(account))
        #expect(try await directory.check("sub-1", clientState: "s3creT") == .clientStateMismatch)
        #expect(try await directory.check("sub-1", clientState: "") == .clientStateMismatch)
        #expect(try await directory.check("sub-2", clientState: "s3cret") == .unknown)
        // Only a digest is kept: the secret itself is nowhere in Redis.
        let stored = try await self.client.hgetall("\(self.prefix)subscription:sub-1")
        #expect(!stored.values.contains { $0.contains("s3cret") })

        #expect(try await directory.extend("sub-1", expiresAt: Date(timeIntervalSinceNow: 7200)))
        #expect(try await directory.extend("sub-2", expiresAt: Date(timeIntervalSinceNow: 7200)) == false)
        try await directory.remove("sub-1")
        #expect(try await directory.check("sub-1", clientState: "s3cret") == .unknown)
    }

    @Test func aDeliveryIsCheckedInOneRoundTripAndMadeUpIdsAreRememberedBriefly() async throws {
        let counting = CountingRedisClient(self.client)
        let directory = RedisSubscriptionDirectory(client: counting, prefix: self.prefix)
        let account = AccountID.random()
        try await directory.register("real", account: account, clientState: "s3cret", expiresAt: Date(timeIntervalSinceNow: 3600))
        // A remembered subscription costs nothing: what is measured is the lookup of the made-up ones.
        let registered = counting.commands
        let claims =
            (0..<1_000).map { SubscriptionClaim(subscriptionID: "made-up-\($0)", clientState: "x") }
            + [SubscriptionClaim(subscriptionID: "real", clientState: "s3cret")]
        let checks = try await directory.check(claims)
        #expect(checks.filter { $0 == .unknown }.count == 1_000)
        #expect(checks.last == .valid(account))
        // One script call (and loading the script the first time): not a thousand lookups.
        #expect(counting.commands - registered <= 2)

        // The same made-up ids again, as an attacker replays them: nothing is asked of Redis.
        let before = counting.commands
        #expect(try await directory.check(claims).filter { $0 == .unknown }.count == 1_000)
        #expect(counting.commands == before)
        await self.client.close()
    }
}
