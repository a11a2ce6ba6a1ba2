import MailpulseCore
import Testing

@Suite struct PageCursorTests {
    @Test(arguments: ["m1", "AAMkAGI2TG93AAA=", "id:with:colons", "ünïcode"])
    func tokensRoundTrip(_ id: String) throws {
        let cursor = PageCursor(receivedAt: 1_700_000_000_123, messageID: id)
        #expect(!cursor.token.contains("+") && !cursor.token.contains("/") && !cursor.token.contains("="))
        #expect(PageCursor(token: cursor.token) == cursor)
    }

    @Test(arguments: ["", "!!!", "bm90LWEtY3Vyc29y", "MTIzOg"])
    func malformedTokensAreRefused(_ token: String) {
        #expect(PageCursor(token: token) == nil)
    }
}
