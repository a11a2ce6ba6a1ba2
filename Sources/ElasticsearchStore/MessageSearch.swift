internal import Foundation
internal import MailpulseCore

/// A page of messages as one `_search`: the account's live messages (of a folder, matching a text), newest first by
/// `(receivedAt, id)`, continued with `search_after` from the previous page's last sort values.
enum MessageSearch {
    /// The fields a search text is matched against.
    static let textFields = ["subject", "from.name", "from.address.text", "sender.name", "sender.address.text", "bodyPreview"]
    /// The request body, or `nil` when the text has nothing to look for (the page is then empty).
    static func body(for query: MessageQuery) -> [String: Any]? {
        var filters: [[String: Any]] = [
            ["term": ["accountId": query.accountID.description]],
            ["term": ["deleted": false]],
        ]
        if let mailbox = query.mailboxID {
            filters.append(["term": ["mailboxId": mailbox]])
        }
        var must: [[String: Any]] = []
        if let text = query.text {
            let words = text.searchWords
            guard !words.isEmpty else { return nil }
            // Every word must match in some field, the last as a prefix (it may still be being typed); multi_match
            // takes no query syntax, and the words are split as the fields' analyzer splits them.
            for (index, word) in words.enumerated() {
                let last = index == words.count - 1
                must.append([
                    "multi_match": ["query": word, "fields": Self.textFields, "type": last ? "bool_prefix" : "best_fields", "operator": "and"]
                ])
            }
        }
        var body: [String: Any] = [
            "size": query.limit + 1,
            "track_total_hits": false,
            "query": ["bool": ["filter": filters, "must": must]],
            "sort": [["receivedAt": ["order": "desc"]], ["id": ["order": "desc"]]],
        ]
        if let cursor = query.cursor {
            body["search_after"] = [cursor.receivedAt, cursor.messageID] as [Any]
        }
        return body
    }

    /// The page from a `_search` answer of a body made by ``body(for:)`` (which asks for one extra hit).
    static func page(from data: Data, limit: Int) throws -> MessagePage {
        let response = try JSONDecoder().decode(SearchResponse<MessageDocument>.self, from: data)
        let messages = response.hits.hits.compactMap { $0.source.message() }
        let page = Array(messages.prefix(limit))
        let next = messages.count > limit ? page.last.map(PageCursor.init(after:)) : nil
        return MessagePage(messages: page, next: next)
    }
}
