import ElasticsearchStore
import Foundation
import HTTPTransport
import MailpulseCore
import SQLiteStore
import TestSupport
import Testing

/// Makes empty stores of one kind for the contract suite; every ``MailStore`` implementation adds a factory here.
struct StoreFactory: Sendable, CustomTestStringConvertible {
    let name: String
    let make: @Sendable () async throws -> any MailStore

    var testDescription: String { self.name }

    static let sqlite = StoreFactory(name: "sqlite") {
        let folder = try TestEnvironment.temporaryDirectory()
        let store = try SQLiteMailStore(path: folder.appendingPathComponent("mail.sqlite").path)
        try await store.prepare()
        return store
    }

    /// The store on the cluster at `ELASTICSEARCH_URL` (with `ELASTICSEARCH_USERNAME`/`_PASSWORD` or `_API_KEY` when
    /// set), writes visible at once. Every run shares the `mailpulse-test-` indices: tests keep apart by random
    /// account ids, and the cluster does not gather indices run after run.
    static let elasticsearch = StoreFactory(name: "elasticsearch") {
        let url = try #require(TestEnvironment.elasticsearchURL)
        let environment = ProcessInfo.processInfo.environment
        var credentials = ElasticsearchConfiguration.Credentials.none
        if let key = environment["ELASTICSEARCH_API_KEY"] {
            credentials = .apiKey(key)
        } else if let user = environment["ELASTICSEARCH_USERNAME"], let password = environment["ELASTICSEARCH_PASSWORD"] {
            credentials = .basic(user: user, password: password)
        }
        let store = ElasticsearchMailStore(
            configuration: ElasticsearchConfiguration(
                url: url,
                credentials: credentials,
                indexPrefix: "mailpulse-test-",
                refresh: .waitFor,
                replicas: 0
            ),
            transport: URLSessionTransport()
        )
        try await store.prepare()
        return store
    }

    /// The in-memory store the engine's tests run on: held to the same contract.
    static let memory = StoreFactory(name: "memory") { MemoryMailStore() }

    /// Every store kind that can run here: Elasticsearch only when `ELASTICSEARCH_URL` names a cluster.
    static var all: [StoreFactory] { TestEnvironment.elasticsearchURL == nil ? [.sqlite, .memory] : [.sqlite, .memory, .elasticsearch] }
}
