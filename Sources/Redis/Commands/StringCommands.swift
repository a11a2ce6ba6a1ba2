/// `GET key`.
public struct GET: RedisCommand {
    public var key: String
    public init(_ key: String) { self.key = key }
    public var arguments: [RedisArgument] { ["GET", RedisArgument(self.key)] }
    public var isIdempotent: Bool { true }
    public func response(from value: RedisValue) throws -> String? { value.string }
}

/// `SET key value [NX] [PX ms]`: answers whether the value was set (false when NX found the key).
public struct SET: RedisCommand {
    public var key: String
    public var value: RedisArgument
    public var onlyIfAbsent: Bool
    public var expiry: Duration?

    public init(_ key: String, value: RedisArgument, onlyIfAbsent: Bool = false, expiry: Duration? = nil) {
        self.key = key
        self.value = value
        self.onlyIfAbsent = onlyIfAbsent
        self.expiry = expiry
    }

    public var arguments: [RedisArgument] {
        var arguments: [RedisArgument] = ["SET", RedisArgument(self.key), self.value]
        if self.onlyIfAbsent { arguments.append("NX") }
        if let expiry = self.expiry { arguments += ["PX", RedisArgument(expiry.milliseconds)] }
        return arguments
    }

    public func response(from value: RedisValue) throws -> Bool { !value.isNull }
}

/// `GETDEL key`: reads and deletes in one step.
public struct GETDEL: RedisCommand {
    public var key: String
    public init(_ key: String) { self.key = key }
    public var arguments: [RedisArgument] { ["GETDEL", RedisArgument(self.key)] }
    public func response(from value: RedisValue) throws -> String? { value.string }
}

/// `DEL key…`: answers how many keys existed.
public struct DEL: RedisCommand {
    public var keys: [String]
    public init(_ keys: [String]) { self.keys = keys }
    public var arguments: [RedisArgument] { ["DEL"] + self.keys.map { RedisArgument($0) } }
    public func response(from value: RedisValue) throws -> Int { Int(value.integer ?? 0) }
}

/// `INCR key`.
public struct INCR: RedisCommand {
    public var key: String
    public init(_ key: String) { self.key = key }
    public var arguments: [RedisArgument] { ["INCR", RedisArgument(self.key)] }
    public func response(from value: RedisValue) throws -> Int64 {
        guard let integer = value.integer else { throw RedisError.unexpectedReply("INCR answered \(value)") }
        return integer
    }
}

/// `PTTL key`: the remaining time to live; `nil` when the key is missing or has no expiry.
public struct PTTL: RedisCommand {
    public var key: String
    public init(_ key: String) { self.key = key }
    public var arguments: [RedisArgument] { ["PTTL", RedisArgument(self.key)] }
    public var isIdempotent: Bool { true }
    public func response(from value: RedisValue) throws -> Duration? {
        guard let milliseconds = value.integer, milliseconds >= 0 else { return nil }
        return .milliseconds(milliseconds)
    }
}

/// `PEXPIRE key ms`: answers whether the key exists.
public struct PEXPIRE: RedisCommand {
    public var key: String
    public var expiry: Duration
    public init(_ key: String, expiry: Duration) {
        self.key = key
        self.expiry = expiry
    }
    public var arguments: [RedisArgument] { ["PEXPIRE", RedisArgument(self.key), RedisArgument(self.expiry.milliseconds)] }
    public func response(from value: RedisValue) throws -> Bool { value.integer == 1 }
}

extension RedisClientProtocol {
    /// The value of a key.
    public func get(_ key: String) async throws -> String? {
        try await self.execute(GET(key))
    }

    /// Sets a key; with `onlyIfAbsent`, only when it does not exist. Answers whether it was set.
    @discardableResult
    public func set(_ key: String, to value: String, onlyIfAbsent: Bool = false, expiry: Duration? = nil) async throws -> Bool {
        try await self.execute(SET(key, value: RedisArgument(value), onlyIfAbsent: onlyIfAbsent, expiry: expiry))
    }

    /// Reads and deletes a key.
    public func getdel(_ key: String) async throws -> String? {
        try await self.execute(GETDEL(key))
    }

    /// Deletes keys; answers how many existed.
    @discardableResult
    public func del(_ keys: String...) async throws -> Int {
        try await self.execute(DEL(keys))
    }

    /// Increments a counter.
    @discardableResult
    public func incr(_ key: String) async throws -> Int64 {
        try await self.execute(INCR(key))
    }

    /// The remaining time to live of a key.
    public func pttl(_ key: String) async throws -> Duration? {
        try await self.execute(PTTL(key))
    }
}

extension Duration {
    /// The duration in whole milliseconds, rounded up so that a positive duration never becomes zero.
    public var milliseconds: Int64 {
        let components = self.components
        let fraction = components.attoseconds / 1_000_000_000_000_000
        let remainder = components.attoseconds % 1_000_000_000_000_000
        return components.seconds * 1000 + fraction + (remainder > 0 ? 1 : 0)
    }
}
