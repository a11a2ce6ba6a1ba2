internal import GRDB
internal import MailpulseCore

/// The full-text index's words and queries. Every indexed word starts with its account's tag (the account id's 32
/// hex digits), so a query, tagged the same way, reads only its own account's part of the index: a one-letter
/// prefix search in a new account costs what that account's mail costs, however much mail other accounts hold.
enum FullTextQuery {
    /// The SQL function the index triggers call to make a message's indexed text.
    static let indexedTextFunction = DatabaseFunction("mailpulse_indexed_text", pure: true) { values in
        guard let account = String.fromDatabaseValue(values[0]).flatMap(AccountID.init) else { return "" }
        return Self.indexedText(account: account, fields: values.dropFirst().map { String.fromDatabaseValue($0) })
    }

    /// The text indexed for a message: each word of its fields, tagged with the account.
    static func indexedText(account: AccountID, fields: [String?]) -> String {
        let tag = account.compactText
        return fields.compactMap { $0 }.flatMap { $0.split { !$0.isLetter && !$0.isNumber } }.map { tag + $0 }.joined(separator: " ")
    }

    /// The FTS5 MATCH expression for an account, or `nil` when the text has no word to look for: every word must
    /// match, the last one as a prefix.
    static func match(for text: String, account: AccountID) -> String? {
        let words = text.searchWords
        guard !words.isEmpty else { return nil }
        let tag = account.compactText
        // Each word is quoted, so FTS5 operators typed by the user (AND, NEAR, *, :) are taken as plain text.
        var terms = words.map { "\"\(tag)\($0)\"" }
        terms[terms.count - 1] += "*"
        return terms.joined(separator: " ")
    }
}
