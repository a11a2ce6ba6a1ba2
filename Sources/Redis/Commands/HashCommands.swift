/// `HSET key field value [field value …]`: answers how many fields were added.
public struct HSET: RedisCommand {
    public var key: String
    public var fields: [(String, String)]
    public init(_ key: String, fields: [(String, String)]) {
        self.key = key
        self.fields = fields
    }
    public var arguments: [RedisArgument] {
        ["HSET", RedisArgument(self.key)] + self.fields.flatMap { [RedisArgument($0.0), RedisArgument($0.1)] }
    }
    public func response(from value: RedisValue) throws -> Int { Int(value.integer ?? 0) }
}

/// `HGET key field`.
public struct HGET: RedisCommand {
    public var key: String
    public var field: String
    public init(_ key: String, field: String) {
        self.key = key
        self.field = field
    }
    public var arguments: [RedisArgument] { ["HGET", RedisArgument(self.key), RedisArgument(self.field)] }
    public var isIdempotent: Bool { true }
    public func response(from value: RedisValue) throws -> String? { value.string }
}

/// `HGETALL key`.
public struct HGETALL: RedisCommand {
    public var key: String
    public init(_ key: String) { self.key = key }
    public var arguments: [RedisArgument] { ["HGETALL", RedisArgument(self.key)] }
    public var isIdempotent: Bool { true }
    public func response(from value: RedisValue) throws -> [String: String] {
        guard let elements = value.array, elements.count % 2 == 0 else {
            throw RedisError.unexpectedReply("HGETALL answered \(value)")
        }
        var fields: [String: String] = [:]
        for index in stride(from: 0, to: elements.count, by: 2) {
            fields[elements[index].string ?? ""] = elements[index + 1].string ?? ""
        }
        return fields
    }
}

/// `HDEL key field…`: answers how many fields existed.
public struct HDEL: RedisCommand {
    public var key: String
    public var fields: [String]
    public init(_ key: String, fields: [String]) {
        self.key = key
        self.fields = fields
    }
    public var arguments: [RedisArgument] { ["HDEL", RedisArgument(self.key)] + self.fields.map { RedisArgument($0) } }
    public func response(from value: RedisValue) throws -> Int { Int(value.integer ?? 0) }
}

extension RedisClientProtocol {
    /// Sets hash fields.
    @discardableResult
    public func hset(_ key: String, _ fields: [(String, String)]) async throws -> Int {
        try await self.execute(HSET(key, fields: fields))
    }

    /// One field of a hash.
    public func hget(_ key: String, field: String) async throws -> String? {
        try await self.execute(HGET(key, field: field))
    }

    /// Every field of a hash.
    public func hgetall(_ key: String) async throws -> [String: String] {
        try await self.execute(HGETALL(key))
    }

    /// Deletes hash fields.
    @discardableResult
    public func hdel(_ key: String, fields: String...) async throws -> Int {
        try await self.execute(HDEL(key, fields: fields))
    }
}
