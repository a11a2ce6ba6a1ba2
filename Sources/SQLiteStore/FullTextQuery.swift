internal import MailpulseCore

/// Turns what a user types into a safe FTS5 query: every word must match, the last one as a prefix.
enum FullTextQuery {
    /// The FTS5 MATCH expression, or `nil` when the text has no word to look for.
    static func match(for text: String) -> String? {
        let words = text.searchWords
        guard !words.isEmpty else { return nil }
        // Each word is quoted, so FTS5 operators typed by the user (AND, NEAR, *, :) are taken as plain text.
        var terms = words.map { "\"\($0)\"" }
        terms[terms.count - 1] += "*"
        return terms.joined(separator: " ")
    }
}
