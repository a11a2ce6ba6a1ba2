/// A server a test starts and must stop, whatever happens in between.
public protocol TestServer: AnyObject {
    /// Starts the server and waits until it serves.
    func start() async throws
    /// Stops the server and removes what it made.
    func stop() async
}

extension TestServer {
    /// Starts the server, runs `body` with it, and stops it after, whether `body` returns or throws.
    public func serving<Result>(_ body: (Self) async throws -> Result) async throws -> Result {
        do {
            try await self.start()
            let result = try await body(self)
            await self.stop()
            return result
        } catch {
            await self.stop()
            throw error
        }
    }
}
