/// `EVALSHA digest numkeys key… arg…`.
public struct EVALSHA: RedisCommand {
    public typealias Response = RedisValue
    public var digest: String
    public var keys: [String]
    public var values: [RedisArgument]

    public init(_ digest: String, keys: [String], arguments: [RedisArgument]) {
        self.digest = digest
        self.keys = keys
        self.values = arguments
    }

    public var arguments: [RedisArgument] {
        ["EVALSHA", RedisArgument(self.digest), RedisArgument(self.keys.count)] + self.keys.map { RedisArgument($0) } + self.values
    }
}

/// `SCRIPT LOAD source`: answers the script's digest.
public struct SCRIPT_LOAD: RedisCommand {
    public var source: String
    public init(_ source: String) { self.source = source }
    public var arguments: [RedisArgument] { ["SCRIPT", "LOAD", RedisArgument(self.source)] }
    public func response(from value: RedisValue) throws -> String {
        guard let digest = value.string else { throw RedisError.unexpectedReply("SCRIPT LOAD answered \(value)") }
        return digest
    }
}

extension RedisClientProtocol {
    /// Runs a script by digest, loading it first when the server does not know it (first use, or after a restart).
    public func evaluate(_ script: RedisScript, keys: [String], arguments: [RedisArgument]) async throws -> RedisValue {
        if let digest = script.loadedDigest {
            do {
                return try await self.execute(EVALSHA(digest, keys: keys, arguments: arguments))
            } catch let error as RedisError where error.isServerError && error.message.hasPrefix("NOSCRIPT") {
                script.loadedDigest = nil
            }
        }
        let digest = try await self.execute(SCRIPT_LOAD(script.source))
        script.loadedDigest = digest
        return try await self.execute(EVALSHA(digest, keys: keys, arguments: arguments))
    }
}
