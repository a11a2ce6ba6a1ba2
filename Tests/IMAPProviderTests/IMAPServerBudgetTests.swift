import TestSupport
import Testing

@testable import IMAPProvider

@Suite("IMAP server budget")
struct IMAPServerBudgetTests {
    @Test("A server's connections over the budget wait until one is given back; other servers do not wait")
    func connectionsOverTheBudgetWait() async throws {
        let budget = IMAPServerBudget(limit: 2)
        await budget.acquire("imap.example.com:993")
        await budget.acquire("imap.example.com:993")
        await budget.acquire("imap.other.org:993")
        let third = SharedValue(false)
        let waiter = Task {
            await budget.acquire("imap.example.com:993")
            third.value = true
        }
        #expect(try await TestEnvironment.eventually { await budget.waiting(for: "imap.example.com:993") == 1 }, "the third waits")
        #expect(!third.value)
        #expect(await budget.waiting(for: "imap.other.org:993") == 0)
        await budget.release("imap.example.com:993")
        await waiter.value
        #expect(third.value)
    }
}
