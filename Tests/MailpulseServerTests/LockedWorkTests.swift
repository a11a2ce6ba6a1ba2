import Foundation
import MailpulseCore
import Redis
import RedisBackplane
import TestSupport
import Testing

@testable import MailpulseServer

/// Work under a lock stops as soon as the lock is lost: two holders never carry on side by side.
@Suite(.enabled(if: TestEnvironment.hasRedis, "needs REDIS_URL (make test provides it)"))
struct LockedWorkTests {
    @Test func workWhoseLockIsTakenOverIsCancelled() async throws {
        let client = TestEnvironment.redisClient(maximumConnections: 4)
        let prefix = TestEnvironment.uniquePrefix()
        let backplane = RedisBackplane(client: client, prefix: prefix)
        let work = LockedWork(backplane: backplane, ttl: .milliseconds(600))
        let started = SharedValue(false)
        let stopped = SharedValue(false)
        let running = Task {
            try await work.run("sync:a", wait: false) {
                started.value = true
                do {
                    try await Task.sleep(for: .seconds(60))
                } catch {
                    stopped.value = true
                    throw error
                }
            }
        }
        #expect(try await TestEnvironment.eventually { started.value })
        // The lock lapsed while its holder was cut off from Redis, and another node took it.
        try await client.set("\(prefix)lock:sync:a", to: "another-node")
        let outcome = await running.result
        #expect(throws: LockedWork.LockLost.self) { try outcome.get() }
        #expect(stopped.value, "the work saw its cancellation")
        #expect(try await client.get("\(prefix)lock:sync:a") == "another-node", "the other holder's lock is left alone")
        await client.close()
    }

    @Test func workThatEndsFreesItsLockAndABusyLockIsSkipped() async throws {
        let client = TestEnvironment.redisClient(maximumConnections: 4)
        let prefix = TestEnvironment.uniquePrefix()
        let work = LockedWork(backplane: RedisBackplane(client: client, prefix: prefix), ttl: .seconds(5))
        #expect(try await work.run("sync:b", wait: false) {})
        try await client.set("\(prefix)lock:sync:b", to: "another-node")
        #expect(try await !work.run("sync:b", wait: false) { Issue.record("ran while the lock was held elsewhere") })
        await client.close()
    }
}
