import Foundation
import HTTPTransport
import MailpulseCore
import Testing

@testable import ElasticsearchStore

/// The requests the store builds and how it reads Elasticsearch's documented answers (`Fixtures/`), at the HTTP seam.
struct ElasticsearchMailStoreTests {
    static let account = AccountID("6f1c2b3a-0000-4000-8000-000000000001")!
    static let cluster = URL(string: "http://es.test:9200")!

    static func store(_ cluster: ScriptedCluster, credentials: ElasticsearchConfiguration.Credentials = .none) -> ElasticsearchMailStore {
        ElasticsearchMailStore(configuration: ElasticsearchConfiguration(url: Self.cluster, credentials: credentials), transport: cluster)
    }

    static func message(_ id: String, modifiedAt: Int64 = 1_700_000_000_000, receivedAt: Int64 = 1_714_070_400_000) -> Message {
        Message(
            accountID: Self.account,
            id: id,
            mailboxID: "inbox",
            subject: "Subject \(id)",
            from: EmailAddress(name: "Grace Hopper", address: "grace@navy.mil"),
            receivedAt: receivedAt,
            version: MessageVersion(sequence: modifiedAt, changeKey: "ck-\(id)")
        )
    }

    /// The NDJSON lines of a request body, parsed.
    static func lines(_ request: HTTPRequestData) throws -> [[String: Any]] {
        let text = String(decoding: request.body ?? Data(), as: UTF8.self)
        #expect(text.hasSuffix("\n"), "a bulk body ends with a newline")
        return try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    static func query(_ request: HTTPRequestData) -> [String: String] {
        Dictionary((URLComponents(url: request.url, resolvingAgainstBaseURL: false)?.queryItems ?? []).map { ($0.name, $0.value ?? "") }) { $1 }
    }

    // MARK: Writes

    @Test func anUpsertIsOneBulkOfExternallyVersionedRoutedDocuments() async throws {
        let cluster = ScriptedCluster { _, _ in ScriptedCluster.fixture("bulk-all-created.json") }
        let messages = [Self.message("m1", modifiedAt: 1_000), Self.message("m/2+", modifiedAt: 2_000), Self.message("m3", modifiedAt: 3_000)]
        let outcome = try await Self.store(cluster).upsertMessages(messages)
        #expect(outcome == WriteOutcome(applied: ["m1", "m/2+", "m3"]))

        let request = try #require(cluster.requests.first)
        #expect(cluster.requests.count == 1)
        #expect(request.method == "POST")
        #expect(request.url.path == "/_bulk")
        #expect(Self.query(request)["refresh"] == "false")
        #expect(request.headers.contains { $0 == ("Content-Type", "application/x-ndjson") })
        let lines = try Self.lines(request)
        #expect(lines.count == 6)
        let action = try #require(lines[2]["index"] as? [String: Any])
        #expect(action["_index"] as? String == "mailpulse-messages")
        #expect(action["_id"] as? String == "\(Self.account):m/2+")
        #expect(action["routing"] as? String == Self.account.description)
        #expect(action["version"] as? Int == 4_000, "a live version m is 2m")
        #expect(action["version_type"] as? String == "external", "an equal version is told apart from a tie by reading it")
        #expect(lines[3]["accountId"] as? String == Self.account.description)
        #expect(lines[3]["subject"] as? String == "Subject m/2+")
        #expect(lines[3]["deleted"] as? Bool == false)
        #expect((lines[3]["from"] as? [String: Any])?["address"] as? String == "grace@navy.mil")
    }

    @Test func aDeletionWritesATombstoneWhoseVersionWinsOverTheVersionItSaw() async throws {
        let cluster = ScriptedCluster { _, _ in
            ScriptedCluster.json(#"{"took":2,"errors":false,"items":[{"index":{"_id":"x","result":"created","status":201}}]}"#)
        }
        _ = try await Self.store(cluster).deleteMessages([MessageDeletion(accountID: Self.account, messageID: "m1", version: 5_000)])
        let lines = try Self.lines(try #require(cluster.requests.first))
        #expect((lines[0]["index"] as? [String: Any])?["version"] as? Int == 10_001)
        #expect(lines[1]["deleted"] as? Bool == true)
        #expect(lines[1]["deletedAt"] as? Int == 5_000)
        #expect(lines[1]["subject"] == nil, "a tombstone keeps nothing of the message")
        // What opening it kept goes too, by id in the same kind of request (no search).
        #expect(cluster.requests.count == 2)
        let contents = try Self.lines(try #require(cluster.requests.last))
        #expect(contents.count == 1, "a delete carries no document")
        let delete = try #require(contents.first?["delete"] as? [String: Any])
        #expect(delete["_index"] as? String == "mailpulse-contents" && delete["_id"] as? String == "\(Self.account):m1")
        #expect(delete["routing"] as? String == Self.account.description)
    }

    @Test func versionsOrderLiveWritesAndTombstonesAsTheSQLiteGuardDoes() {
        let live = MessageDocument.version(modifiedAt:)
        let tombstone = MessageDocument.version(deletedAt:)
        #expect(live(4) < live(5), "an older version is stale")
        #expect(tombstone(5) > live(5), "a deletion wins over the version it deleted")
        #expect(tombstone(4) < live(5), "a deletion older than the stored version is stale")
        #expect(live(5) < tombstone(5), "the same version does not bring a deleted message back")
        #expect(live(6) > tombstone(5), "a strictly newer version does")
        #expect(tombstone(.max) > 0 && tombstone(.max) > live(.max - 1), "the largest times stay valid, ordered longs")
        #expect(live(-5) == 0)
    }

    @Test func aPartialBulkFailureReportsConflictsAsStaleAndSendsRejectedItemsAgain() async throws {
        // The conflicting document, read back to tell a tie from an older write: a newer version.
        let newer = String(decoding: try JSONEncoder().encode(MessageDocument(Self.message("m2", modifiedAt: 1_800_000_000_000))), as: UTF8.self)
        let cluster = ScriptedCluster { request, index in
            if request.method == "GET" {
                return ScriptedCluster.json(#"{"_index":"mailpulse-messages","_id":"x","found":true,"_source":"# + newer + "}")
            }
            return index == 0
                ? ScriptedCluster.fixture("bulk-partial-failure.json")
                : ScriptedCluster.json(#"{"took":3,"errors":false,"items":[{"index":{"_id":"x","status":201}}]}"#)
        }
        let outcome = try await Self.store(cluster).upsertMessages((1...4).map { Self.message("m\($0)") })
        #expect(outcome.applied == ["m1", "m4", "m3"])
        #expect(outcome.stale == ["m2"], "a version conflict is a stale write, not a failure")
        #expect(cluster.requests.count == 3)
        let resent = try Self.lines(cluster.requests[1])
        #expect(resent.count == 2, "only the rejected item is sent again")
        #expect((resent[0]["index"] as? [String: Any])?["_id"] as? String == "\(Self.account):m3")
    }

    @Test func aConflictWithTheSameSequenceAndAnotherKeyIsUnorderedAndSettlingSendsItAtLeastEqual() async throws {
        var stored = Self.message("m1", modifiedAt: 2_000)
        stored.version.changeKey = "another"
        let source = String(decoding: try JSONEncoder().encode(MessageDocument(stored)), as: UTF8.self)
        let conflict =
            #"{"took":1,"errors":true,"items":[{"index":{"_id":"a:m1","status":409,"error":{"type":"version_conflict_engine_exception","reason":"conflict"}}}]}"#
        let cluster = ScriptedCluster { request, _ in
            request.method == "GET"
                ? ScriptedCluster.json(#"{"_index":"mailpulse-messages","_id":"x","found":true,"_source":"# + source + "}")
                : ScriptedCluster.json(conflict)
        }
        let store = Self.store(cluster)
        #expect(try await store.upsertMessages([Self.message("m1", modifiedAt: 2_000)]) == WriteOutcome(unordered: ["m1"]))
        _ = try await store.upsertMessages([Self.message("m1", modifiedAt: 2_000)], settlingTies: true)
        let settling = try Self.lines(cluster.requests[2])
        #expect((settling[0]["index"] as? [String: Any])?["version_type"] as? String == "external_gte")
    }

    @Test func anItemRefusedForAnotherReasonFailsTheCallNamingIt() async throws {
        let cluster = ScriptedCluster { _, _ in ScriptedCluster.fixture("bulk-mapping-failure.json") }
        let error = await #expect(throws: MailStoreError.self) {
            try await Self.store(cluster).upsertMessages([Self.message("m5")])
        }
        #expect(error?.message.contains("parsing_exception") == true, "\(String(describing: error))")
    }

    @Test func aBulkTurnedAwayWholeIsSentAgain() async throws {
        let cluster = ScriptedCluster { _, index in
            index == 0
                ? ScriptedCluster.json(#"{"error":{"type":"es_rejected_execution_exception","reason":"rejected"},"status":429}"#, status: 429)
                : ScriptedCluster.json(#"{"took":3,"errors":false,"items":[{"index":{"_id":"x","status":201}}]}"#)
        }
        #expect(try await Self.store(cluster).upsertMessages([Self.message("m1")]).applied == ["m1"])
        #expect(cluster.requests.count == 2)
    }

    @Test func anItemStillRejectedAfterTheLastAttemptFailsTheCall() async throws {
        let rejected =
            #"{"took":1,"errors":true,"items":[{"index":{"_id":"a:m1","status":429,"error":{"type":"es_rejected_execution_exception","reason":"rejected execution"}}}]}"#
        let cluster = ScriptedCluster { _, _ in ScriptedCluster.json(rejected) }
        await #expect(throws: MailStoreError.unavailable("")) {
            try await Self.store(cluster).upsertMessages([Self.message("m1")])
        }
        #expect(cluster.requests.count == ElasticsearchMailStore.rejectedItemAttempts)
    }

    @Test func aClusterThatDoesNotAnswerIsUnavailable() async throws {
        struct Unreachable: HTTPTransport {
            func send(_ request: HTTPRequestData) async throws -> HTTPResponseData { throw HTTPTransportError("connection refused") }
        }
        let store = ElasticsearchMailStore(configuration: ElasticsearchConfiguration(url: Self.cluster), transport: Unreachable())
        await #expect(throws: MailStoreError.unavailable("")) { try await store.message("m1", of: Self.account) }
    }

    // MARK: Reads

    @Test func aMessageIsReadByIdWithItsRoutingAndATombstoneOrAMissingDocumentIsNil() async throws {
        var source = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(MessageDocument(Self.message("m1")))) as? [String: Any])
        var found = try #require(try JSONSerialization.jsonObject(with: ScriptedCluster.data("get-found.json")) as? [String: Any])
        found["_source"] = source
        let foundBody = try JSONSerialization.data(withJSONObject: found)
        source["deleted"] = true
        found["_source"] = source
        let tombstoneBody = try JSONSerialization.data(withJSONObject: found)
        let cluster = ScriptedCluster { request, _ in
            switch request.url.lastPathComponent {
            case "\(Self.account):m1": HTTPResponseData(status: 200, headers: [:], body: foundBody)
            case "\(Self.account):m2": HTTPResponseData(status: 200, headers: [:], body: tombstoneBody)
            default: ScriptedCluster.fixture("get-not-found.json", status: 404)
            }
        }
        let store = Self.store(cluster)
        #expect(try await store.message("m1", of: Self.account) == Self.message("m1"))
        #expect(try await store.message("m2", of: Self.account) == nil)
        #expect(try await store.message("m9", of: Self.account) == nil)
        #expect(Self.query(cluster.requests[0])["routing"] == Self.account.description)
        #expect(cluster.requests[0].url.absoluteString.hasSuffix("/mailpulse-messages/_doc/\(Self.account)%3Am1?routing=\(Self.account)"))
    }

    @Test func aMissingIndexIsAnErrorNotAMissingDocument() async throws {
        let cluster = ScriptedCluster { _, _ in ScriptedCluster.fixture("index-not-found.json", status: 404) }
        await #expect(throws: ElasticsearchError.self) { try await Self.store(cluster).message("m1", of: Self.account) }
    }

    @Test func aPageIsOneSearchFilteredByAccountNewestFirstAfterTheCursor() async throws {
        let query = MessageQuery(
            accountID: Self.account,
            mailboxID: "inbox",
            text: "\"budget\" AND grace@navy.mil compil",
            limit: 1,
            cursor: PageCursor(receivedAt: 1_714_100_000_000, messageID: "m7")
        )
        let body = try #require(MessageSearch.body(for: query))
        #expect(body["size"] as? Int == 2, "one more than the page, to know whether another follows")
        #expect((body["search_after"] as? [Any])?.count == 2)
        #expect((body["search_after"] as? [Any])?.last as? String == "m7")
        let bool = try #require((body["query"] as? [String: Any])?["bool"] as? [String: Any])
        let filters = try #require(bool["filter"] as? [[String: [String: Any]]])
        #expect(filters.compactMap { $0["term"]?["accountId"] as? String } == [Self.account.description])
        #expect(filters.compactMap { $0["term"]?["mailboxId"] as? String } == ["inbox"])
        #expect(filters.compactMap { $0["term"]?["deleted"] as? Bool } == [false])
        let words = try #require(bool["must"] as? [[String: [String: Any]]]).compactMap { $0["multi_match"] }
        #expect(words.map { $0["query"] as? String } == ["budget", "AND", "grace", "navy", "mil", "compil"], "words as the analyzer splits them")
        #expect(words.map { $0["type"] as? String } == Array(repeating: "best_fields", count: 5) + ["bool_prefix"], "the last word is a prefix")
        #expect(words.allSatisfy { $0["operator"] as? String == "and" })
        #expect(MessageSearch.body(for: MessageQuery(accountID: Self.account, text: "  \"* ")) == nil, "no word, no search")

        // Messages whose stored bodies hold the words match too: the ids a search of the contents index found.
        let withBodies = try #require(MessageSearch.body(for: query, bodyMatches: ["m3", "m9"]))
        let either = try #require(((withBodies["query"] as? [String: Any])?["bool"] as? [String: Any])?["must"] as? [[String: Any]])
        let should = try #require((either.first?["bool"] as? [String: Any])?["should"] as? [[String: Any]])
        #expect((should.last?["terms"] as? [String: [String]])?["id"] == ["m3", "m9"])
        let bodySearch = try #require(MessageSearch.bodyMatches(for: query))
        let bodyFilters = try #require(((bodySearch["query"] as? [String: Any])?["bool"] as? [String: Any])?["filter"] as? [[String: [String: Any]]])
        #expect(bodyFilters.compactMap { $0["term"]?["accountId"] as? String } == [Self.account.description], "only the account's bodies")

        var response = try #require(try JSONSerialization.jsonObject(with: ScriptedCluster.data("search-hits.json")) as? [String: Any])
        var hits = try #require(response["hits"] as? [String: Any])
        let sources = try [Self.message("m2", receivedAt: 1_714_070_400_000), Self.message("m1", receivedAt: 1_713_984_000_000)].map {
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(MessageDocument($0)))
        }
        hits["hits"] = zip(try #require(hits["hits"] as? [[String: Any]]), sources).map { hit, source in
            var hit = hit
            hit["_source"] = source
            return hit
        }
        response["hits"] = hits
        let page = try MessageSearch.page(from: try JSONSerialization.data(withJSONObject: response), limit: 1)
        #expect(page.messages.map(\.id) == ["m2"])
        #expect(page.next == PageCursor(receivedAt: 1_714_070_400_000, messageID: "m2"))
        #expect(try MessageSearch.page(from: try JSONSerialization.data(withJSONObject: response), limit: 2).next == nil)
    }

    @Test func countsAreOneSearchWithAnUnreadFilterAggregation() async throws {
        let cluster = ScriptedCluster { _, _ in
            ScriptedCluster.json(
                #"{"took":2,"timed_out":false,"hits":{"total":{"value":7,"relation":"eq"},"max_score":null,"hits":[]},"aggregations":{"unread":{"doc_count":3}}}"#
            )
        }
        #expect(try await Self.store(cluster).counts(of: Self.account, mailbox: "inbox") == MessageCounts(total: 7, unread: 3))
        let body = try #require(try JSONSerialization.jsonObject(with: cluster.requests[0].body ?? Data()) as? [String: Any])
        #expect(body["size"] as? Int == 0)
        #expect(body["track_total_hits"] as? Bool == true)
    }

    // MARK: Setup and health

    @Test func prepareInstallsATemplatePerIndexAndTakesAnExistingIndexAsDone() async throws {
        let cluster = ScriptedCluster { request, _ in
            request.url.path.hasPrefix("/_index_template/")
                ? ScriptedCluster.json(#"{"acknowledged":true}"#)
                : ScriptedCluster.fixture("resource-already-exists.json", status: 400)
        }
        try await Self.store(cluster).prepare()
        let templates = cluster.requests.filter { $0.url.path.hasPrefix("/_index_template/") }
        #expect(
            templates.map(\.url.lastPathComponent) == [
                "mailpulse-messages", "mailpulse-mailboxes", "mailpulse-accounts", "mailpulse-sync-states", "mailpulse-contents",
            ]
        )
        let messages = try #require(try JSONSerialization.jsonObject(with: templates[0].body ?? Data()) as? [String: Any])
        let settings = try #require((messages["template"] as? [String: Any])?["settings"] as? [String: Any])
        #expect(settings["index.gc_deletes"] as? String == "0s")
        let analysis = try #require(settings["analysis"] as? [String: [String: [String: Any]]])
        #expect(analysis["tokenizer"]?["mailpulse_words"]?["pattern"] as? String == "[^\\p{L}\\p{N}]+")
        #expect(analysis["analyzer"]?["mailpulse_text"]?["filter"] as? [String] == ["lowercase", "asciifolding"])
        let mappings = try #require((messages["template"] as? [String: Any])?["mappings"] as? [String: Any])
        #expect(mappings["dynamic"] as? String == "strict")
        #expect((mappings["_routing"] as? [String: Any])?["required"] as? Bool == true)
        let properties = try #require(mappings["properties"] as? [String: [String: Any]])
        #expect(properties["accountId"]?["type"] as? String == "keyword")
        #expect(properties["mailboxId"]?["type"] as? String == "keyword")
        #expect(properties["receivedAt"]?["type"] as? String == "date")
        #expect(properties["isRead"]?["type"] as? String == "boolean")
        #expect(properties["subject"]?["type"] as? String == "text")
        #expect((properties["subject"]?["fields"] as? [String: [String: Any]])?["keyword"]?["type"] as? String == "keyword")
        #expect(properties["bodyPreview"]?["analyzer"] as? String == "mailpulse_text")

        let failing = ScriptedCluster { _, _ in ScriptedCluster.fixture("error-generic.json", status: 400) }
        await #expect(throws: ElasticsearchError.self) { try await Self.store(failing).prepare() }
    }

    @Test func healthWaitsForYellowAndARedOrTimedOutClusterIsUnavailable() async throws {
        let green = ScriptedCluster { _, _ in ScriptedCluster.fixture("cluster-health-green.json") }
        try await Self.store(green).checkHealth()
        #expect(Self.query(green.requests[0])["wait_for_status"] == "yellow")
        let timedOut = ScriptedCluster { _, _ in ScriptedCluster.fixture("cluster-health-timeout.json", status: 408) }
        await #expect(throws: MailStoreError.unavailable("")) { try await Self.store(timedOut).checkHealth() }
    }

    // MARK: Accounts

    @Test func anExistingAccountIsAConflictAndAMissingOneIsNotFound() async throws {
        let cluster = ScriptedCluster { request, _ in
            request.url.path.contains("/_create/")
                ? ScriptedCluster.json(
                    #"{"error":{"type":"version_conflict_engine_exception","reason":"[x]: version conflict, document already exists (current version [1])"},"status":409}"#,
                    status: 409
                )
                : ScriptedCluster.json(#"{"error":{"type":"document_missing_exception","reason":"[x]: document missing"},"status":404}"#, status: 404)
        }
        let account = Account(id: Self.account, provider: .outlook, status: .pending, createdAt: Date(), updatedAt: Date())
        await #expect(throws: MailStoreError.conflict("")) { try await Self.store(cluster).createAccount(account) }
        await #expect(throws: MailStoreError.notFound("")) { try await Self.store(cluster).updateAccount(account) }
        #expect(Self.query(cluster.requests[1])["retry_on_conflict"] == "3")
        let update = try #require(try JSONSerialization.jsonObject(with: cluster.requests[1].body ?? Data()) as? [String: Any])
        let doc = try #require(update["doc"] as? [String: Any])
        #expect(doc["identity"] is NSNull, "an update clears what the account no longer has")
        #expect(doc["sealedTokens"] == nil, "and leaves the secrets alone")
    }

    @Test func deletingAnAccountRefreshesThenDeletesItsDocumentsByQueryThenTheAccount() async throws {
        let cluster = ScriptedCluster { request, _ in
            switch request.url.lastPathComponent {
            case "_delete_by_query": ScriptedCluster.fixture("delete-by-query.json")
            case "_refresh": ScriptedCluster.json(#"{"_shards":{"total":3,"successful":3,"failed":0}}"#)
            default: ScriptedCluster.json(#"{"_index":"mailpulse-accounts","_id":"x","result":"deleted"}"#)
            }
        }
        try await Self.store(cluster).deleteAccount(Self.account)
        #expect(
            cluster.requests.map { "\($0.method) \($0.url.path)" } == [
                "POST /mailpulse-messages,mailpulse-contents,mailpulse-mailboxes,mailpulse-sync-states/_refresh",
                "POST /mailpulse-messages/_delete_by_query", "POST /mailpulse-contents/_delete_by_query",
                "POST /mailpulse-mailboxes/_delete_by_query", "POST /mailpulse-sync-states/_delete_by_query",
                "DELETE /mailpulse-accounts/_doc/\(Self.account)",
            ]
        )
        #expect(
            cluster.requests[1...4].allSatisfy { Self.query($0)["routing"] == Self.account.description && Self.query($0)["conflicts"] == "proceed" }
        )

        let stopped = ScriptedCluster { _, _ in
            ScriptedCluster.json(
                #"{"took":5,"deleted":1,"failures":[{"index":"mailpulse-messages","id":"x","cause":{"type":"es_rejected_execution_exception","reason":"rejected"},"status":429}]}"#
            )
        }
        await #expect(throws: MailStoreError.unavailable("")) { try await Self.store(stopped).deleteAccount(Self.account) }
        #expect(!stopped.requests.contains { $0.method == "DELETE" }, "the account stays until its documents are gone")
    }

    @Test func credentialsGoInTheAuthorizationHeader() async throws {
        for (credentials, expected) in [
            (ElasticsearchConfiguration.Credentials.basic(user: "elastic", password: "s3cret"), "Basic ZWxhc3RpYzpzM2NyZXQ="),
            (
                .apiKey("VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw=="),
                "ApiKey VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw=="
            ),
        ] {
            let cluster = ScriptedCluster { _, _ in ScriptedCluster.fixture("cluster-health-green.json") }
            try await Self.store(cluster, credentials: credentials).checkHealth()
            #expect(cluster.requests[0].headers.first { $0.0 == "Authorization" }?.1 == expected)
        }
    }
}
