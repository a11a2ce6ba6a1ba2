public import Foundation
public import HTTPTransport
public import MailpulseCore

/// ``MailStore`` on Elasticsearch 8's REST API: the store a deployment with many accounts and several nodes runs on.
///
/// One index per kind (messages, mailboxes, accounts, sync states; see ``ElasticsearchIndices``), created from
/// index templates with explicit, strict mappings. Documents of an account are routed by its id and named
/// `accountId:providerId`. Message writes go in `_bulk` with external versions (`external_gte`), so the engine
/// itself refuses a version older than the stored one or than a tombstone; a refused item is reported stale, an
/// item rejected for load is sent again, and any other failed item fails the call (the caller retries the page:
/// every write is idempotent).
public struct ElasticsearchMailStore: MailStore {
    /// The largest page ``messages(_:)`` returns.
    public static let maximumPageSize = 1000
    /// Sends of items rejected for load (429) before the call fails.
    static let rejectedItemAttempts = 4

    private let client: ElasticsearchClient
    private let indices: ElasticsearchIndices
    private let refresh: String

    /// Creates a store on the cluster of `configuration`, reached through `transport`.
    public init(configuration: ElasticsearchConfiguration, transport: any HTTPTransport) {
        self.client = ElasticsearchClient(configuration: configuration, transport: transport)
        self.indices = ElasticsearchIndices(prefix: configuration.indexPrefix, shards: configuration.shards, replicas: configuration.replicas)
        self.refresh = configuration.refresh.rawValue
    }

    public func prepare() async throws {
        for (index, template) in self.indices.templates {
            _ = try await self.client.call("PUT", "/_index_template/\(index)", json: try Self.json(template))
            let created = try await self.client.send("PUT", "/\(index)")
            if !(200..<300).contains(created.status) {
                let error = ElasticsearchError(status: created.status, body: created.body)
                // Made by an earlier start or another node: its settings come from the same template.
                guard error.type == "resource_already_exists_exception" else { throw error }
            }
        }
    }

    public func checkHealth() async throws {
        // A timed-out wait answers 408 with the same body: the status in it says what is wrong.
        let data = try await self.client.call(
            "GET",
            "/_cluster/health",
            query: [("wait_for_status", "yellow"), ("timeout", "2s")],
            accepting: [408]
        )
        let health = try JSONDecoder().decode(ClusterHealth.self, from: data)
        guard health.status != "red", !health.timedOut else {
            throw MailStoreError.unavailable("Elasticsearch cluster \(health.clusterName ?? "") is \(health.status)")
        }
    }

    // MARK: Accounts

    public func createAccount(_ account: Account) async throws {
        let response = try await self.client.send(
            "PUT",
            "/\(self.indices.accounts)/_create/\(ElasticsearchClient.encode(account.id.description))",
            query: [("refresh", "wait_for")],
            json: try JSONEncoder().encode(AccountDocument(account))
        )
        if response.status == 409 { throw MailStoreError.conflict("account \(account.id) exists") }
        guard (200..<300).contains(response.status) else { throw ElasticsearchError(status: response.status, body: response.body) }
    }

    public func account(_ id: AccountID) async throws -> Account? {
        try await self.document(AccountDocument.self, in: self.indices.accounts, id: id.description, routing: nil)?.account()
    }

    public func updateAccount(_ account: Account) async throws {
        try await self.updateAccountFields(["doc": try Self.object(AccountDocument(account))], of: account.id)
    }

    public func deleteAccount(_ id: AccountID) async throws {
        let query = try Self.json(["query": ["term": ["accountId": id.description]]])
        let indices = [self.indices.messages, self.indices.contents, self.indices.mailboxes, self.indices.syncStates]
        // The deletion sees the last refreshed view: writes of the last second must be in it, or they would outlive
        // their account.
        _ = try await self.client.call("POST", "/\(indices.joined(separator: ","))/_refresh")
        for index in indices {
            // `wait_for` is not taken here; `conflicts=proceed` counts a document changed meanwhile instead of aborting.
            let data = try await self.client.call(
                "POST",
                "/\(index)/_delete_by_query",
                query: [("routing", id.description), ("refresh", "true"), ("conflicts", "proceed")],
                json: query,
                timeout: .seconds(600)
            )
            let result = try JSONDecoder().decode(DeleteByQueryResponse.self, from: data)
            guard result.failures.isEmpty else {
                throw MailStoreError.unavailable("Elasticsearch stopped deleting account \(id) from \(index) after \(result.deleted) documents")
            }
        }
        _ = try await self.client.call(
            "DELETE",
            "/\(self.indices.accounts)/_doc/\(ElasticsearchClient.encode(id.description))",
            query: [("refresh", "wait_for")],
            accepting: [404]
        )
    }

    public func accounts(after: AccountID?, limit: Int) async throws -> [Account] {
        guard limit > 0 else { return [] }
        var body: [String: Any] = [
            "size": min(limit, 10_000),
            "query": ["match_all": [String: Any]()],
            "sort": [["id": ["order": "asc"]]],
            "_source": ["excludes": ["sealedTokens", "apiTokenHash"]],
        ]
        if let after { body["search_after"] = [after.description] }
        let data = try await self.client.call("POST", "/\(self.indices.accounts)/_search", json: try Self.json(body))
        // An unreadable account fails the listing: callers page until a short page, so skipping one would end early.
        return try JSONDecoder().decode(SearchResponse<AccountDocument>.self, from: data).hits.hits.map { hit in
            guard let account = hit.source.account() else { throw MailStoreError.unavailable("account document \(hit.id) is unreadable") }
            return account
        }
    }

    public func saveSealedTokens(_ sealed: Data?, for account: AccountID) async throws {
        let value: Any = sealed.map { $0.base64EncodedString() } ?? NSNull()
        try await self.updateAccountFields(["doc": ["sealedTokens": value]], of: account)
    }

    public func sealedTokens(for account: AccountID) async throws -> Data? {
        try await self.document(AccountSecrets.self, in: self.indices.accounts, id: account.description, routing: nil)?.sealedTokens
            .flatMap { Data(base64Encoded: $0) }
    }

    public func saveAPITokenHash(_ hash: Data, for account: AccountID) async throws {
        try await self.updateAccountFields(["doc": ["apiTokenHash": hash.base64EncodedString()]], of: account)
    }

    public func apiTokenHash(for account: AccountID) async throws -> Data? {
        try await self.document(AccountSecrets.self, in: self.indices.accounts, id: account.description, routing: nil)?.apiTokenHash
            .flatMap { Data(base64Encoded: $0) }
    }

    // MARK: Mailboxes

    public func upsertMailboxes(_ mailboxes: [Mailbox]) async throws {
        guard !mailboxes.isEmpty else { return }
        let encoder = JSONEncoder()
        let operations = try mailboxes.map { mailbox in
            BulkRequest.Operation(
                index: self.indices.mailboxes,
                id: MessageDocument.documentID(mailbox.accountID, mailbox.id),
                routing: mailbox.accountID.description,
                version: nil,
                document: try encoder.encode(MailboxDocument(mailbox))
            )
        }
        _ = try await self.bulk(operations)
    }

    public func deleteMailbox(_ id: String, of account: AccountID) async throws {
        _ = try await self.client.call(
            "DELETE",
            "/\(self.indices.mailboxes)/_doc/\(ElasticsearchClient.encode(MessageDocument.documentID(account, id)))",
            query: [("routing", account.description), ("refresh", self.refresh)],
            accepting: [404]
        )
    }

    public func mailboxes(of account: AccountID) async throws -> [Mailbox] {
        let body: [String: Any] = [
            "size": 10_000,
            "query": ["term": ["accountId": account.description]],
            "sort": [["displayName.keyword": ["order": "asc"]], ["id": ["order": "asc"]]],
        ]
        let data = try await self.client.call(
            "POST",
            "/\(self.indices.mailboxes)/_search",
            query: [("routing", account.description)],
            json: try Self.json(body)
        )
        return try JSONDecoder().decode(SearchResponse<MailboxDocument>.self, from: data).hits.hits.map { $0.source.mailbox(of: account) }
    }

    // MARK: Messages

    public func upsertMessages(_ messages: [Message], settlingTies: Bool) async throws -> WriteOutcome {
        let encoder = JSONEncoder()
        // An equal external version is refused unless settling (`external`), then told apart from an older one by
        // reading the stored document: conflicts are rare, so the read costs little.
        var outcome = try await self.bulk(
            try messages.map { message in
                BulkRequest.Operation(
                    index: self.indices.messages,
                    id: MessageDocument.documentID(message.accountID, message.id),
                    routing: message.accountID.description,
                    version: MessageDocument.version(modifiedAt: message.version.sequence),
                    orEqual: settlingTies,
                    document: try encoder.encode(MessageDocument(message))
                )
            }
        )
        let refused = Set(outcome.stale)
        outcome.stale = []
        for message in messages where refused.contains(message.id) {
            let stored = try await self.document(
                MessageDocument.self,
                in: self.indices.messages,
                id: MessageDocument.documentID(message.accountID, message.id),
                routing: message.accountID
            )
            switch stored.flatMap({ $0.deleted == true ? nil : $0.message() }).map({ message.version.ordering(against: $0.version) }) {
            case .same?: outcome.applied.append(message.id)
            case .unordered?: outcome.unordered.append(message.id)
            default: outcome.stale.append(message.id)
            }
        }
        return outcome
    }

    public func deleteMessages(_ deletions: [MessageDeletion]) async throws -> WriteOutcome {
        let encoder = JSONEncoder()
        let outcome = try await self.bulk(
            try deletions.map { deletion in
                BulkRequest.Operation(
                    index: self.indices.messages,
                    id: MessageDocument.documentID(deletion.accountID, deletion.messageID),
                    routing: deletion.accountID.description,
                    version: MessageDocument.version(deletedAt: deletion.version),
                    document: try encoder.encode(MessageDocument(deletion))
                )
            }
        )
        // What opening the deleted messages kept goes with them, by id (most have none: Elasticsearch answers 404).
        let deleted = Set(outcome.applied)
        _ = try await self.bulk(
            deletions.filter { deleted.contains($0.messageID) }.map { deletion in
                BulkRequest.Operation(
                    index: self.indices.contents,
                    id: MessageDocument.documentID(deletion.accountID, deletion.messageID),
                    routing: deletion.accountID.description
                )
            }
        )
        return outcome
    }

    public func message(_ id: String, of account: AccountID) async throws -> Message? {
        try await self.document(MessageDocument.self, in: self.indices.messages, id: MessageDocument.documentID(account, id), routing: account)?
            .message()
    }

    public func messages(_ query: MessageQuery) async throws -> MessagePage {
        guard (1...Self.maximumPageSize).contains(query.limit) else {
            throw MailStoreError.invalidInput("limit must be between 1 and \(Self.maximumPageSize)")
        }
        var bodyMatches: [String] = []
        if let search = MessageSearch.bodyMatches(for: query) {
            let data = try await self.client.call(
                "POST",
                "/\(self.indices.contents)/_search",
                query: [("routing", query.accountID.description)],
                json: try Self.json(search)
            )
            bodyMatches = try JSONDecoder().decode(SearchResponse<ContentID>.self, from: data).hits.hits.map(\.source.id)
        }
        guard let body = MessageSearch.body(for: query, bodyMatches: bodyMatches) else { return MessagePage(messages: [], next: nil) }
        let data = try await self.client.call(
            "POST",
            "/\(self.indices.messages)/_search",
            query: [("routing", query.accountID.description)],
            json: try Self.json(body)
        )
        return try MessageSearch.page(from: data, limit: query.limit)
    }

    public func counts(of account: AccountID, mailbox: String?) async throws -> MessageCounts {
        var filters: [[String: Any]] = [["term": ["accountId": account.description]], ["term": ["deleted": false]]]
        if let mailbox { filters.append(["term": ["mailboxId": mailbox]]) }
        let body: [String: Any] = [
            "size": 0,
            "track_total_hits": true,
            "query": ["bool": ["filter": filters]],
            "aggs": ["unread": ["filter": ["term": ["isRead": false]]]],
        ]
        let data = try await self.client.call(
            "POST",
            "/\(self.indices.messages)/_search",
            query: [("routing", account.description)],
            json: try Self.json(body)
        )
        let counted = try JSONDecoder().decode(CountResponse.self, from: data)
        return MessageCounts(total: counted.hits.total.value, unread: counted.aggregations.unread.docCount)
    }

    // MARK: Message content

    public func saveContent(_ content: MessageContent, of message: String, of account: AccountID) async throws -> Bool {
        guard try await self.message(message, of: account) != nil else { return false }
        _ = try await self.client.call(
            "PUT",
            "/\(self.indices.contents)/_doc/\(ElasticsearchClient.encode(MessageDocument.documentID(account, message)))",
            query: [("routing", account.description), ("refresh", self.refresh)],
            json: try JSONEncoder().encode(ContentDocument(content, of: message, of: account))
        )
        return true
    }

    public func content(of message: String, of account: AccountID) async throws -> MessageContent? {
        guard try await self.message(message, of: account) != nil else { return nil }
        return try await self.document(
            ContentDocument.self,
            in: self.indices.contents,
            id: MessageDocument.documentID(account, message),
            routing: account
        )?.content
    }

    /// The id of a content document, all a body search reads of it.
    private struct ContentID: Decodable {
        var id: String
    }

    // MARK: Sync state

    public func syncState(_ scope: SyncScope, of account: AccountID) async throws -> SyncState? {
        try await self.document(SyncStateDocument.self, in: self.indices.syncStates, id: "\(account):\(scope)", routing: account)?
            .state(of: account)
    }

    public func saveSyncState(_ state: SyncState) async throws {
        _ = try await self.client.call(
            "PUT",
            "/\(self.indices.syncStates)/_doc/\(ElasticsearchClient.encode("\(state.accountID):\(state.scope)"))",
            query: [("routing", state.accountID.description), ("refresh", self.refresh)],
            json: try JSONEncoder().encode(SyncStateDocument(state))
        )
    }

    public func syncStates(of account: AccountID) async throws -> [SyncState] {
        let body: [String: Any] = ["size": 10_000, "query": ["term": ["accountId": account.description]], "sort": [["scope": ["order": "asc"]]]]
        let data = try await self.client.call(
            "POST",
            "/\(self.indices.syncStates)/_search",
            query: [("routing", account.description)],
            json: try Self.json(body)
        )
        return try JSONDecoder().decode(SearchResponse<SyncStateDocument>.self, from: data).hits.hits.compactMap { $0.source.state(of: account) }
    }

    // MARK: Helpers

    /// Sends operations in `_bulk`: applied items and version conflicts (stale) are the outcome; items rejected for
    /// load are sent again with backoff; any other failed item fails the call.
    private func bulk(_ operations: [BulkRequest.Operation]) async throws -> WriteOutcome {
        var outcome = WriteOutcome()
        var pending = operations
        var attempt = 0
        while !pending.isEmpty {
            attempt += 1
            let response = try await self.client.send(
                "POST",
                "/_bulk",
                query: [("refresh", self.refresh)],
                json: try BulkRequest(operations: pending).body(),
                contentType: "application/x-ndjson"
            )
            if [429, 503].contains(response.status) && attempt < Self.rejectedItemAttempts {
                // The whole request was turned away for load: the same operations, after a pause.
                try await Task.sleep(for: .milliseconds(100 << attempt))
                continue
            }
            guard (200..<300).contains(response.status) else {
                let error = ElasticsearchError(status: response.status, body: response.body)
                throw MailStoreError.unavailable("Elasticsearch refused a bulk write: \(error)")
            }
            let items = try JSONDecoder().decode(BulkResponse.self, from: response.body).items
            guard items.count == pending.count else {
                throw MailStoreError.unavailable("Elasticsearch answered \(items.count) bulk items for \(pending.count) operations")
            }
            var rejected: [BulkRequest.Operation] = []
            for (operation, item) in zip(pending, items) {
                let id = String(operation.id.drop { $0 != ":" }.dropFirst())
                // A delete of a document that is not there has done what it was for.
                if item.succeeded || (operation.document == nil && item.status == 404) {
                    outcome.applied.append(id)
                } else if item.isVersionConflict {
                    outcome.stale.append(id)
                } else if item.isRejected && attempt < Self.rejectedItemAttempts {
                    rejected.append(operation)
                } else {
                    throw MailStoreError.unavailable(
                        "Elasticsearch refused \(operation.id): \(item.status) \(item.error?.type ?? "") \(item.error?.reason ?? "")"
                    )
                }
            }
            pending = rejected
            if !pending.isEmpty { try await Task.sleep(for: .milliseconds(100 << attempt)) }
        }
        return outcome
    }

    /// A document's source, or `nil` when the document (or its index) does not exist.
    private func document<Source: Decodable>(_ type: Source.Type, in index: String, id: String, routing: AccountID?) async throws -> Source? {
        let response = try await self.client.send(
            "GET",
            "/\(index)/_doc/\(ElasticsearchClient.encode(id))",
            query: routing.map { [("routing", $0.description)] } ?? []
        )
        // A missing document answers 404 with `"found":false`; a missing index answers 404 with an error.
        if response.status == 404, let missing = try? JSONDecoder().decode(GetResponse<Source>.self, from: response.body), !missing.found {
            return nil
        }
        guard (200..<300).contains(response.status) else { throw ElasticsearchError(status: response.status, body: response.body) }
        return try JSONDecoder().decode(GetResponse<Source>.self, from: response.body).source
    }

    private func updateAccountFields(_ update: [String: Any], of account: AccountID) async throws {
        let response = try await self.client.send(
            "POST",
            "/\(self.indices.accounts)/_update/\(ElasticsearchClient.encode(account.description))",
            // Two nodes may update one account at once (a token refresh, a status change): each update applies.
            query: [("refresh", "wait_for"), ("retry_on_conflict", "3")],
            json: try Self.json(update)
        )
        guard (200..<300).contains(response.status) else {
            let error = ElasticsearchError(status: response.status, body: response.body)
            if error.type == "document_missing_exception" { throw MailStoreError.notFound("account \(account) does not exist") }
            throw error
        }
    }

    static func json(_ object: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    private static func object(_ value: some Encodable) throws -> Any {
        try JSONSerialization.jsonObject(with: try JSONEncoder().encode(value))
    }
}
