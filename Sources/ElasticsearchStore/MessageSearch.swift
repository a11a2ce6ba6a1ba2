internal import Foundation
internal import MailpulseCore

/// A page of messages as one `_search`: the account's live messages (of a folder or a conversation, matching a text),
/// newest (or oldest) first by `(receivedAt, id)`, continued with `search_after` from the previous page's last sort values.
enum MessageSearch {
    /// The fields a search text is matched against.
    static let textFields = ["subject", "from.name", "from.address.text", "sender.name", "sender.address.text", "bodyPreview"]
    /// The most messages whose bodies match that one search considers.
    static let bodyMatchLimit = 1_000

    /// The `_search` body over the contents index that finds the ids of the account's messages whose bodies hold every
    /// word of the query's text (the last as a prefix); `nil` without a text.
    static func bodyMatches(for query: MessageQuery) -> [String: Any]? {
        guard let text = query.text else { return nil }
        let words = text.searchWords
        guard !words.isEmpty else { return nil }
        let must: [[String: Any]] = words.enumerated().map { index, word in
            index == words.count - 1 ? ["match_bool_prefix": ["bodyText": word]] : ["match": ["bodyText": ["query": word, "operator": "and"]]]
        }
        return [
            "size": Self.bodyMatchLimit,
            "_source": ["id"],
            "track_total_hits": false,
            "query": ["bool": ["filter": [["term": ["accountId": query.accountID.description]]], "must": must]],
        ]
    }

    /// The request body, or `nil` when the text has nothing to look for (the page is then empty). Messages whose ids
    /// are in `bodyMatches` match the text too (their stored bodies hold it).
    static func body(for query: MessageQuery, bodyMatches: [String] = []) -> [String: Any]? {
        var filters: [[String: Any]] = [
            ["term": ["accountId": query.accountID.description]],
            ["term": ["deleted": false]],
        ]
        if let mailbox = query.mailboxID {
            filters.append(["term": ["mailboxId": mailbox]])
        }
        if let conversation = query.conversationID {
            filters.append(["term": ["conversationId": conversation]])
        }
        var must: [[String: Any]] = []
        if let text = query.text {
            let words = text.searchWords
            guard !words.isEmpty else { return nil }
            // Every word must match in some field, the last as a prefix (it may still be being typed); multi_match
            // takes no query syntax, and the words are split as the fields' analyzer splits them.
            let fields: [[String: Any]] = words.enumerated().map { index, word in
                let last = index == words.count - 1
                return ["multi_match": ["query": word, "fields": Self.textFields, "type": last ? "bool_prefix" : "best_fields", "operator": "and"]]
            }
            if bodyMatches.isEmpty {
                must = fields
            } else {
                must.append(["bool": ["should": [["bool": ["must": fields]], ["terms": ["id": bodyMatches]]], "minimum_should_match": 1]])
            }
        }
        let order = query.oldestFirst ? "asc" : "desc"
        var body: [String: Any] = [
            "size": query.limit + 1,
            "track_total_hits": false,
            "query": ["bool": ["filter": filters, "must": must]],
            "sort": [["receivedAt": ["order": order]], ["id": ["order": order]]],
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
