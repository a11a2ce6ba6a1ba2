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

    /// A fresh set of indices (a prefix of its own) on the cluster at `ELASTICSEARCH_URL`, writes visible at once.
    static let elasticsearch = StoreFactory(name: "elasticsearch") {
        let url = try #require(TestEnvironment.elasticsearchURL)
        let prefix = "mailpulse-test-\(UUID().uuidString.prefix(8).lowercased())-"
        let store = ElasticsearchMailStore(
            configuration: ElasticsearchConfiguration(url: url, indexPrefix: prefix, refresh: .waitFor, replicas: 0),
            transport: URLSessionTransport()
        )
        try await store.prepare()
        return store
    }

    /// Every store kind that can run here: Elasticsearch only when `ELASTICSEARCH_URL` names a cluster.
    static var all: [StoreFactory] { TestEnvironment.elasticsearchURL == nil ? [.sqlite] : [.sqlite, .elasticsearch] }
}
