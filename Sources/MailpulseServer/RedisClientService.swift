internal import Redis
internal import ServiceLifecycle

/// Closes the Redis client when the application shuts down, after the server has stopped using it.
struct RedisClientService: Service, CustomStringConvertible {
    let client: RedisClient

    func run() async throws {
        try? await gracefulShutdown()
        await self.client.close()
    }

    var description: String { "RedisClientService(\(self.client.configuration.url))" }
}
