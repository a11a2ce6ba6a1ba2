internal import Foundation

/// The indices Mailpulse keeps (one of each for all accounts, routed by account id) and their templates.
///
/// One index per kind, not per user: thousands of small indices would each cost shards, mappings and cluster
/// state, while routing by account id keeps an account's documents on one shard of a shared index, so its reads
/// touch one shard however many accounts the cluster holds.
struct ElasticsearchIndices: Sendable {
    let prefix: String
    let shards: Int
    let replicas: Int

    var messages: String { self.prefix + "messages" }
    var mailboxes: String { self.prefix + "mailboxes" }
    var accounts: String { self.prefix + "accounts" }
    var syncStates: String { self.prefix + "sync-states" }
    var contents: String { self.prefix + "contents" }

    /// Every index with its template body (`PUT _index_template/<name>`).
    var templates: [(index: String, body: [String: Any])] {
        [
            (self.messages, self.template(for: self.messages, properties: Self.messageProperties)),
            (self.mailboxes, self.template(for: self.mailboxes, properties: Self.mailboxProperties)),
            (self.accounts, self.template(for: self.accounts, properties: Self.accountProperties)),
            (self.syncStates, self.template(for: self.syncStates, properties: Self.syncStateProperties)),
            (self.contents, self.template(for: self.contents, properties: Self.contentProperties)),
        ]
    }

    private func template(for index: String, properties: [String: Any]) -> [String: Any] {
        [
            "index_patterns": [index],
            "priority": 200,
            "template": [
                "settings": [
                    "number_of_shards": self.shards,
                    "number_of_replicas": self.replicas,
                    // A deleted document's version is otherwise remembered for 60 s, and an external version below it
                    // is refused: an account deleted and linked again would see its first writes come back stale.
                    "index.gc_deletes": "0s",
                    "analysis": Self.analysis,
                ] as [String: Any],
                // `strict`: a field the code does not know is a bug to surface, not a mapping to grow.
                "mappings": ["dynamic": "strict", "_routing": ["required": index != self.accounts], "properties": properties],
            ] as [String: Any],
        ]
    }

    /// The analyzer of every searched text field: words are runs of letters and digits (so `navy.mil` is `navy` and
    /// `mil`), lowercased and folded to ASCII (`Résumé` is found by `resume`), as the SQLite store's FTS5 tokenizer does.
    static var analysis: [String: Any] {
        [
            "tokenizer": ["mailpulse_words": ["type": "pattern", "pattern": "[^\\p{L}\\p{N}]+"]],
            "analyzer": ["mailpulse_text": ["type": "custom", "tokenizer": "mailpulse_words", "filter": ["lowercase", "asciifolding"]]],
        ]
    }

    /// Values longer than this are kept in `_source` but not indexed, so one odd value cannot fail a whole page.
    private static var keyword: [String: Any] { ["type": "keyword", "ignore_above": 8191] }
    private static var boolean: [String: Any] { ["type": "boolean"] }
    private static var long: [String: Any] { ["type": "long"] }
    private static var date: [String: Any] { ["type": "date", "format": "epoch_millis"] }
    /// Stored in `_source` only: returned with the document, never searched.
    private static var unindexed: [String: Any] { ["type": "object", "enabled": false] }
    /// Full text, with an exact `keyword` sub-field for sorting and filters.
    private static var text: [String: Any] {
        ["type": "text", "analyzer": "mailpulse_text", "fields": ["keyword": ["type": "keyword", "ignore_above": 512]]]
    }
    /// An address: exact as a keyword, searchable as text.
    private static var address: [String: Any] {
        ["type": "keyword", "ignore_above": 8191, "fields": ["text": ["type": "text", "analyzer": "mailpulse_text"]]]
    }
    private static var person: [String: Any] { ["properties": ["name": text, "address": address]] }

    static var messageProperties: [String: Any] {
        [
            "accountId": keyword, "id": keyword, "mailboxId": keyword, "internetMessageId": keyword, "conversationId": keyword,
            "subject": text, "from": person, "sender": person, "toRecipients": unindexed, "ccRecipients": unindexed,
            "receivedAt": date, "sentAt": date, "isRead": boolean, "isDraft": boolean, "flag": keyword, "importance": keyword,
            "hasAttachments": boolean, "bodyPreview": ["type": "text", "analyzer": "mailpulse_text"], "categories": keyword, "modifiedAt": long,
            "changeKey": keyword, "deleted": boolean, "deletedAt": long,
        ]
    }

    static var contentProperties: [String: Any] {
        ["accountId": keyword, "id": keyword, "bodyText": ["type": "text", "analyzer": "mailpulse_text"], "content": unindexed]
    }

    static var mailboxProperties: [String: Any] {
        [
            "accountId": keyword, "id": keyword, "parentId": keyword, "displayName": text, "wellKnownName": keyword,
            "totalCount": long, "unreadCount": long, "isHidden": boolean,
        ]
    }

    static var accountProperties: [String: Any] {
        [
            "id": keyword, "provider": keyword, "status": keyword, "identity": unindexed, "createdAt": date, "updatedAt": date,
            "lastSyncedAt": date, "subscriptionId": keyword, "subscriptionExpiresAt": date,
            "subscriptionNotificationUrl": ["type": "keyword", "index": false, "doc_values": false],
            // Secrets: kept, never indexed.
            "sealedTokens": ["type": "binary"], "apiTokenHash": ["type": "binary"],
        ]
    }

    static var syncStateProperties: [String: Any] {
        [
            "accountId": keyword, "scope": keyword, "cursor": ["type": "keyword", "index": false, "doc_values": false],
            "checkpoint": ["type": "keyword", "index": false, "doc_values": false], "pagesStored": long, "messagesStored": long,
            "completedAt": date,
        ]
    }
}
