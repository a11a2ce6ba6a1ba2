import Testing

@testable import SQLiteStore

@Suite struct FullTextQueryTests {
    @Test func wordsAreQuotedAndTheLastIsAPrefix() {
        #expect(FullTextQuery.match(for: "budget review") == "\"budget\" \"review\"*")
        #expect(FullTextQuery.match(for: "ada@example.com") == "\"ada\" \"example\" \"com\"*")
    }

    @Test func operatorsBecomePlainWordsAndEmptyTextMatchesNothing() {
        #expect(FullTextQuery.match(for: "a\" OR b*") == "\"a\" \"OR\" \"b\"*")
        #expect(FullTextQuery.match(for: " *:() ") == nil)
    }
}
