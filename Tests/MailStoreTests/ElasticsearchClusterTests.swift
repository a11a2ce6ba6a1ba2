import ElasticsearchStore
import Foundation
import HTTPTransport
import MailpulseCore
import TestSupport
import Testing

/// The Elasticsearch store against a real cluster: what the contract suite cannot say (setup twice, health).
/// Without `ELASTICSEARCH_URL` this suite is skipped, and so is the contract suite's Elasticsearch half.
@Suite(.enabled(if: TestEnvironment.elasticsearchURL != nil, "ELASTICSEARCH_URL is not set: the MailStore contract ran against SQLite only"))
struct ElasticsearchClusterTests {
    @Test func preparingTwiceIsHarmlessAndTheClusterIsHealthy() async throws {
        let store = try await StoreFactory.elasticsearch.make()
        try await store.prepare()
        try await store.checkHealth()
    }
}
