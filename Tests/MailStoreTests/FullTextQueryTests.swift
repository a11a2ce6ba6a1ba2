import MailpulseCore
import Testing

@testable import SQLiteStore

@Suite struct FullTextQueryTests {
    static let account = AccountID("0a1b2c3d-0000-4000-8000-00000000beef")!
    static let tag = "0a1b2c3d000040008000" + "00000000beef"

    @Test func wordsAreQuotedTaggedWithTheAccountAndTheLastIsAPrefix() {
        #expect(FullTextQuery.match(for: "budget review", account: Self.account) == "\"\(Self.tag)budget\" \"\(Self.tag)review\"*")
        #expect(
            FullTextQuery.match(for: "ada@example.com", account: Self.account)
                == "\"\(Self.tag)ada\" \"\(Self.tag)example\" \"\(Self.tag)com\"*"
        )
    }

    @Test func operatorsBecomePlainWordsAndEmptyTextMatchesNothing() {
        #expect(FullTextQuery.match(for: "a\" OR b*", account: Self.account) == "\"\(Self.tag)a\" \"\(Self.tag)OR\" \"\(Self.tag)b\"*")
        #expect(FullTextQuery.match(for: " *:() ", account: Self.account) == nil)
    }

    @Test func everyIndexedWordCarriesTheAccountsTag() {
        let text = FullTextQuery.indexedText(account: Self.account, fields: ["Budget, Q3", nil, "grace@navy.mil"])
        #expect(text == ["Budget", "Q3", "grace", "navy", "mil"].map { Self.tag + $0 }.joined(separator: " "))
    }
}
