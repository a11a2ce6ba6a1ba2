import Foundation
import MailpulseCore
import Secrets
import SyncEngine
import Testing

/// Access tokens: refreshed before they expire, once however many callers ask, and a dead grant marks the account.
@Suite struct AccessTokenSourceTests {
    @Test func aValidTokenIsHandedOutWithoutARefresh() async throws {
        let engine = try await SyncEngineFixtures.linked()
        #expect(try await engine.tokens.accessToken(for: engine.account) == "access")
        #expect(engine.provider.calls.refreshes == 0)
    }

    @Test func aTokenAboutToExpireIsRefreshedOnceForEveryCallerAndStored() async throws {
        let engine = try await SyncEngineFixtures.linked()
        try await engine.vault.store(SyncEngineFixtures.tokens(expiresIn: 60), for: engine.account)
        let tokens = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 { group.addTask { try await engine.tokens.accessToken(for: engine.account) } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(tokens.count == 1 && tokens.first?.hasPrefix("fresh-") == true)
        #expect(engine.provider.calls.refreshes == 1)
        #expect(try await engine.vault.tokens(for: engine.account)?.refreshToken == "rotated")
    }

    @Test func aTokenTheProviderRefusedIsRefreshedAndTheCallRunsOnceMore() async throws {
        let engine = try await SyncEngineFixtures.linked()
        let attempts = try await engine.tokens.withAccessToken(for: engine.account) { token -> String in
            guard token != "access" else { throw MailProviderError.unauthorized("expired early") }
            return token
        }
        #expect(attempts.hasPrefix("fresh-"))
        #expect(engine.provider.calls.refreshes == 1)
    }

    @Test func aDeadGrantMarksTheAccountForReauthentication() async throws {
        let engine = try await SyncEngineFixtures.linked()
        try await engine.vault.store(SyncEngineFixtures.tokens(expiresIn: 0), for: engine.account)
        engine.provider.refreshing { _ in throw MailProviderError.reauthRequired("invalid_grant") }
        await #expect(throws: MailProviderError.reauthRequired("invalid_grant")) {
            try await engine.tokens.accessToken(for: engine.account)
        }
        #expect(try await engine.store.account(engine.account)?.status == .reauthRequired)
        #expect(engine.events.events(of: engine.account) == [.accountStatus(.reauthRequired)], "its pages are told")
    }

    @Test func anAccountWithoutTokensNeedsASignIn() async throws {
        let engine = try await SyncEngineFixtures.linked()
        try await engine.vault.remove(for: engine.account)
        await #expect(throws: MailProviderError.self) { try await engine.tokens.accessToken(for: engine.account) }
        #expect(engine.provider.calls.refreshes == 0)
    }
}
