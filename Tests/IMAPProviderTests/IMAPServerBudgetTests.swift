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
        // The waiter is queued (or about to be); nothing but a release lets it through.
        try await Task.sleep(for: .milliseconds(50))
        #expect(!third.value)
        await budget.release("imap.example.com:993")
        await waiter.value
        #expect(third.value)
    }
}
