import Redis
import Testing

@Suite struct RedisURLTests {
    @Test func parsesHostPortAndDatabase() throws {
        let url = try RedisURL("redis://cache.internal:6380/3")
        #expect(url.host == "cache.internal")
        #expect(url.port == 6380)
        #expect(url.database == 3)
        #expect(url.password == nil)
    }

    @Test func defaultsPortAndDatabase() throws {
        let url = try RedisURL("redis://localhost")
        #expect(url.port == 6379)
        #expect(url.database == 0)
    }

    @Test func parsesCredentialsAndHidesThePassword() throws {
        let url = try RedisURL("redis://worker:s%40cret@127.0.0.1:7000/1")
        #expect(url.user == "worker")
        #expect(url.password == "s@cret")
        #expect(!url.description.contains("s@cret"))
        #expect(try RedisURL("redis://:only@host").password == "only")
    }

    @Test(arguments: ["http://host:6379", "redis://", "redis://host:99999", "redis://host:port", "redis://host/x"])
    func rejectsMalformedURLs(_ text: String) {
        #expect(throws: RedisError.self) { try RedisURL(text) }
    }
}
