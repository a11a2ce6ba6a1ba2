/// One entry of a Redis stream.
public struct RedisStreamEntry: Sendable, Equatable {
    /// The entry id (`<ms>-<seq>`).
    public var id: String
    /// The entry's fields, in order.
    public var fields: [(String, String)]

    /// Creates an entry.
    public init(id: String, fields: [(String, String)]) {
        self.id = id
        self.fields = fields
    }

    /// The value of a field.
    public subscript(field: String) -> String? {
        self.fields.first { $0.0 == field }?.1
    }

    public static func == (lhs: RedisStreamEntry, rhs: RedisStreamEntry) -> Bool {
        lhs.id == rhs.id && lhs.fields.elementsEqual(rhs.fields) { $0.0 == $1.0 && $0.1 == $1.1 }
    }

    /// Parses `[id, [field, value, …]]`; a deleted entry (`[id, nil]`) has no fields.
    static func parse(_ value: RedisValue) throws -> RedisStreamEntry {
        guard let parts = value.array, parts.count == 2, let id = parts[0].string else {
            throw RedisError.unexpectedReply("not a stream entry: \(value)")
        }
        let flat = parts[1].array ?? []
        var fields: [(String, String)] = []
        for index in stride(from: 0, to: flat.count - 1, by: 2) {
            fields.append((flat[index].string ?? "", flat[index + 1].string ?? ""))
        }
        return RedisStreamEntry(id: id, fields: fields)
    }
}

/// `XADD key [MAXLEN ~ n] * field value …`: answers the new entry's id.
public struct XADD: RedisCommand {
    public var key: String
    public var fields: [(String, String)]
    public var approximateMaximumLength: Int?

    public init(_ key: String, fields: [(String, String)], approximateMaximumLength: Int? = nil) {
        self.key = key
        self.fields = fields
        self.approximateMaximumLength = approximateMaximumLength
    }

    public var arguments: [RedisArgument] {
        var arguments: [RedisArgument] = ["XADD", RedisArgument(self.key)]
        if let length = self.approximateMaximumLength { arguments += ["MAXLEN", "~", RedisArgument(length)] }
        arguments.append("*")
        return arguments + self.fields.flatMap { [RedisArgument($0.0), RedisArgument($0.1)] }
    }

    public func response(from value: RedisValue) throws -> String {
        guard let id = value.string else { throw RedisError.unexpectedReply("XADD answered \(value)") }
        return id
    }
}

/// `XGROUP CREATE key group id MKSTREAM`: answers `false` when the group exists already.
public struct XGROUP_CREATE: RedisCommand {
    public var key: String
    public var group: String
    public var startID: String

    public init(_ key: String, group: String, startID: String = "$") {
        self.key = key
        self.group = group
        self.startID = startID
    }

    public var arguments: [RedisArgument] {
        ["XGROUP", "CREATE", RedisArgument(self.key), RedisArgument(self.group), RedisArgument(self.startID), "MKSTREAM"]
    }

    public func response(from value: RedisValue) throws -> Bool { true }
}

/// `XREADGROUP GROUP group consumer COUNT n [BLOCK ms] STREAMS key >`: new entries for this consumer; empty on timeout.
public struct XREADGROUP: RedisCommand {
    public var key: String
    public var group: String
    public var consumer: String
    public var count: Int
    public var block: Duration?

    public init(_ key: String, group: String, consumer: String, count: Int, block: Duration? = nil) {
        self.key = key
        self.group = group
        self.consumer = consumer
        self.count = count
        self.block = block
    }

    public var arguments: [RedisArgument] {
        var arguments: [RedisArgument] = [
            "XREADGROUP", "GROUP", RedisArgument(self.group), RedisArgument(self.consumer), "COUNT", RedisArgument(self.count),
        ]
        if let block = self.block { arguments += ["BLOCK", RedisArgument(block.milliseconds)] }
        return arguments + ["STREAMS", RedisArgument(self.key), ">"]
    }

    public var replyTimeout: Duration? {
        self.block.map { $0 + .seconds(5) }
    }

    public func response(from value: RedisValue) throws -> [RedisStreamEntry] {
        guard let streams = value.array else { return [] }
        return try streams.flatMap { stream -> [RedisStreamEntry] in
            guard let parts = stream.array, parts.count == 2, let entries = parts[1].array else {
                throw RedisError.unexpectedReply("XREADGROUP answered \(stream)")
            }
            return try entries.map(RedisStreamEntry.parse)
        }
    }
}

/// `XACK key group id…`: answers how many entries were pending.
public struct XACK: RedisCommand {
    public var key: String
    public var group: String
    public var ids: [String]

    public init(_ key: String, group: String, ids: [String]) {
        self.key = key
        self.group = group
        self.ids = ids
    }

    public var arguments: [RedisArgument] {
        ["XACK", RedisArgument(self.key), RedisArgument(self.group)] + self.ids.map { RedisArgument($0) }
    }

    public func response(from value: RedisValue) throws -> Int { Int(value.integer ?? 0) }
}

/// `XAUTOCLAIM key group consumer min-idle start COUNT n`: takes over entries pending longer than `minimumIdle`.
public struct XAUTOCLAIM: RedisCommand {
    /// The claimed entries and where the next scan starts (`0-0` when the scan is complete).
    public struct Claimed: Sendable, Equatable {
        public var nextStartID: String
        public var entries: [RedisStreamEntry]
    }

    public var key: String
    public var group: String
    public var consumer: String
    public var minimumIdle: Duration
    public var startID: String
    public var count: Int

    public init(_ key: String, group: String, consumer: String, minimumIdle: Duration, startID: String = "0-0", count: Int = 100) {
        self.key = key
        self.group = group
        self.consumer = consumer
        self.minimumIdle = minimumIdle
        self.startID = startID
        self.count = count
    }

    public var arguments: [RedisArgument] {
        [
            "XAUTOCLAIM", RedisArgument(self.key), RedisArgument(self.group), RedisArgument(self.consumer),
            RedisArgument(self.minimumIdle.milliseconds), RedisArgument(self.startID), "COUNT", RedisArgument(self.count),
        ]
    }

    public func response(from value: RedisValue) throws -> Claimed {
        guard let parts = value.array, parts.count >= 2, let next = parts[0].string, let entries = parts[1].array else {
            throw RedisError.unexpectedReply("XAUTOCLAIM answered \(value)")
        }
        // Entries deleted from the stream while pending come back as [id, nil]: nothing to process.
        let live = try entries.filter { !($0.array?.last?.isNull ?? true) }.map(RedisStreamEntry.parse)
        return Claimed(nextStartID: next, entries: live)
    }
}

/// `XLEN key`.
public struct XLEN: RedisCommand {
    public var key: String
    public init(_ key: String) { self.key = key }
    public var arguments: [RedisArgument] { ["XLEN", RedisArgument(self.key)] }
    public var isIdempotent: Bool { true }
    public func response(from value: RedisValue) throws -> Int { Int(value.integer ?? 0) }
}

extension RedisClientProtocol {
    /// Appends an entry to a stream, trimming it to about `approximateMaximumLength`.
    @discardableResult
    public func xadd(_ key: String, fields: [(String, String)], approximateMaximumLength: Int? = nil) async throws -> String {
        try await self.execute(XADD(key, fields: fields, approximateMaximumLength: approximateMaximumLength))
    }

    /// Creates a consumer group (and the stream) unless the group exists.
    public func ensureGroup(_ group: String, on key: String, startID: String = "0") async throws {
        do {
            _ = try await self.execute(XGROUP_CREATE(key, group: group, startID: startID))
        } catch let error as RedisError where error.isServerError && error.message.hasPrefix("BUSYGROUP") {
            return
        }
    }

    /// Reads new entries for a consumer of a group, waiting up to `block` for some.
    public func xreadgroup(_ key: String, group: String, consumer: String, count: Int, block: Duration? = nil) async throws -> [RedisStreamEntry] {
        try await self.execute(XREADGROUP(key, group: group, consumer: consumer, count: count, block: block))
    }

    /// Acknowledges entries.
    @discardableResult
    public func xack(_ key: String, group: String, ids: [String]) async throws -> Int {
        try await self.execute(XACK(key, group: group, ids: ids))
    }

    /// Claims entries another consumer left pending for longer than `minimumIdle`.
    public func xautoclaim(
        _ key: String,
        group: String,
        consumer: String,
        minimumIdle: Duration,
        startID: String = "0-0",
        count: Int = 100
    ) async throws -> XAUTOCLAIM.Claimed {
        try await self.execute(XAUTOCLAIM(key, group: group, consumer: consumer, minimumIdle: minimumIdle, startID: startID, count: count))
    }

    /// The length of a stream.
    public func xlen(_ key: String) async throws -> Int {
        try await self.execute(XLEN(key))
    }
}
