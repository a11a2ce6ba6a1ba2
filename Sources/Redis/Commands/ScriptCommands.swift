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
    public var isIdempotent: Bool { true }
    public func response(from value: RedisValue) throws -> String {
        guard let digest = value.string else { throw RedisError.unexpectedReply("SCRIPT LOAD answered \(value)") }
        return digest
    }
}

/// `EVAL source numkeys key… arg…`: the fallback when the server has forgotten a script between load and use.
public struct EVAL: RedisCommand {
    public typealias Response = RedisValue
    public var source: String
    public var keys: [String]
    public var values: [RedisArgument]

    public init(_ source: String, keys: [String], arguments: [RedisArgument]) {
        self.source = source
        self.keys = keys
        self.values = arguments
    }

    public var arguments: [RedisArgument] {
        ["EVAL", RedisArgument(self.source), RedisArgument(self.keys.count)] + self.keys.map { RedisArgument($0) } + self.values
    }
}

extension RedisClientProtocol {
    /// Runs a script by digest, loading it first when this client has not; when the server answers NOSCRIPT (it
    /// restarted or flushed its scripts), the script runs once with its source, which also caches it again.
    public func evaluate(_ script: RedisScript, keys: [String], arguments: [RedisArgument]) async throws -> RedisValue {
        let digest: String
        if let known = script.loadedDigest {
            digest = known
        } else {
            digest = try await self.execute(SCRIPT_LOAD(script.source))
            script.loadedDigest = digest
        }
        do {
            return try await self.execute(EVALSHA(digest, keys: keys, arguments: arguments))
        } catch let error as RedisError where error.isServerError && error.message.hasPrefix("NOSCRIPT") {
            return try await self.execute(EVAL(script.source, keys: keys, arguments: arguments))
        }
    }
}
