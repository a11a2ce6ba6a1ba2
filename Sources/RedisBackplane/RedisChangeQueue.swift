public import MailpulseCore
public import Redis

/// ``ChangeQueue`` on a Redis stream read through a consumer group, with a coalescing key per waiting message.
public struct RedisChangeQueue: ChangeQueue {
    private let client: any RedisClientProtocol
    private let stream: String
    private let deadLetters: String
    private let pendingPrefix: String
    private let group = "workers"
    private let maximumLength: Int
    private let coalescingTTL: Duration

    /// Creates a queue under `prefix`; the stream keeps about `maximumLength` entries. A coalescing key lives at most
    /// `coalescingTTL`, in case its entry is lost.
    public init(client: any RedisClientProtocol, prefix: String, maximumLength: Int = 1_000_000, coalescingTTL: Duration = .seconds(600)) {
        self.client = client
        self.stream = "\(prefix)notifications"
        self.deadLetters = "\(prefix)notifications:dead"
        self.pendingPrefix = "\(prefix)pending:"
        self.maximumLength = maximumLength
        self.coalescingTTL = coalescingTTL
    }

    /// Creates the stream and its consumer group if they do not exist.
    public func prepare() async throws {
        try await self.client.ensureGroup(self.group, on: self.stream)
    }

    public func enqueue(groups: [[ChangeNotice]]) async throws -> [Int] {
        let notices = groups.flatMap(\.self)
        guard !notices.isEmpty else { return groups.map { _ in 0 } }
        var arguments = [RedisArgument(self.maximumLength), RedisArgument(self.coalescingTTL.milliseconds), RedisArgument(self.pendingPrefix)]
        for notice in notices {
            arguments += [
                RedisArgument(notice.accountID.description), RedisArgument(notice.subscriptionID), RedisArgument(notice.kind.rawValue),
                RedisArgument(notice.messageID ?? ""), RedisArgument(notice.changeKey ?? ""),
            ]
        }
        let reply = try await self.client.evaluate(ChangeQueueScripts.enqueue, keys: [self.stream], arguments: arguments)
        guard let flags = reply.array?.compactMap(\.integer), flags.count == notices.count else {
            throw RedisError.unexpectedReply("the enqueue script answered \(reply)")
        }
        var start = 0
        return groups.map { group in
            defer { start += group.count }
            return Int(flags[start..<start + group.count].reduce(0, +))
        }
    }

    public func receive(consumer: String, limit: Int, wait: Duration) async throws -> [QueuedChange] {
        let entries = try await self.withGroup {
            try await self.client.xreadgroup(self.stream, group: self.group, consumer: consumer, count: limit, block: wait)
        }
        return try await self.parsed(entries)
    }

    public func claimAbandoned(consumer: String, idle: Duration, limit: Int) async throws -> [QueuedChange] {
        let claimed = try await self.withGroup {
            try await self.client.xautoclaim(self.stream, group: self.group, consumer: consumer, minimumIdle: idle, count: limit)
        }
        return try await self.parsed(claimed.entries)
    }

    /// Runs a consumer-group command; when the group does not exist (first start, or Redis lost the stream), makes
    /// it and runs the command once more.
    private func withGroup<T>(_ command: () async throws -> T) async throws -> T {
        do {
            return try await command()
        } catch let error as RedisError where error.isServerError && error.message.hasPrefix("NOGROUP") {
            try await self.prepare()
            return try await command()
        }
    }

    public func begin(_ notice: ChangeNotice) async throws -> ChangeNotice {
        guard let message = notice.messageID,
            let waiting = try await self.client.getdel("\(self.pendingPrefix)\(notice.accountID):\(message)"),
            let separator = waiting.firstIndex(of: "|"),
            let kind = ChangeNotice.Kind(rawValue: String(waiting[..<separator]))
        else { return notice }
        // The script has merged every notice that waited into this one; it is joined with the worker's own.
        let changeKey = String(waiting[waiting.index(after: separator)...])
        let waited = ChangeNotice(
            accountID: notice.accountID,
            subscriptionID: notice.subscriptionID,
            kind: kind,
            messageID: message,
            changeKey: changeKey.isEmpty ? nil : changeKey
        )
        return notice.joining(waited)
    }

    public func acknowledge(_ changes: [QueuedChange]) async throws {
        try await self.acknowledge(entries: changes.map(\.entryID))
    }

    private func acknowledge(entries: [String]) async throws {
        guard !entries.isEmpty else { return }
        _ = try await self.client.evaluate(
            ChangeQueueScripts.acknowledge,
            keys: [self.stream],
            arguments: [RedisArgument(self.group)] + entries.map { RedisArgument($0) }
        )
    }

    public func deadLetter(_ change: QueuedChange, reason: String) async throws {
        _ = try await self.client.xadd(
            self.deadLetters,
            fields: Self.fields(of: change.notice) + [("reason", reason), ("entry", change.entryID)],
            approximateMaximumLength: 10_000
        )
        try await self.acknowledge([change])
    }

    /// How many entries wait in the stream (received or not, not yet acknowledged).
    public func length() async throws -> Int {
        try await self.client.xlen(self.stream)
    }

    /// The dead-lettered entries so far.
    public func deadLetterCount() async throws -> Int {
        try await self.client.xlen(self.deadLetters)
    }

    private static func fields(of notice: ChangeNotice) -> [(String, String)] {
        [
            (ChangeStreamField.account.rawValue, notice.accountID.description),
            (ChangeStreamField.subscription.rawValue, notice.subscriptionID),
            (ChangeStreamField.kind.rawValue, notice.kind.rawValue),
            (ChangeStreamField.message.rawValue, notice.messageID ?? ""),
            (ChangeStreamField.changeKey.rawValue, notice.changeKey ?? ""),
        ]
    }

    /// Entries as changes; an entry that is not one (written by something else, or trimmed) is acknowledged away.
    private func parsed(_ entries: [RedisStreamEntry]) async throws -> [QueuedChange] {
        var changes: [QueuedChange] = []
        var junk: [String] = []
        for entry in entries {
            guard let account = entry[ChangeStreamField.account.rawValue].flatMap(AccountID.init),
                let kind = entry[ChangeStreamField.kind.rawValue].flatMap(ChangeNotice.Kind.init(rawValue:))
            else {
                junk.append(entry.id)
                continue
            }
            let message = entry[ChangeStreamField.message.rawValue] ?? ""
            let changeKey = entry[ChangeStreamField.changeKey.rawValue] ?? ""
            let notice = ChangeNotice(
                accountID: account,
                subscriptionID: entry[ChangeStreamField.subscription.rawValue] ?? "",
                kind: kind,
                messageID: message.isEmpty ? nil : message,
                changeKey: changeKey.isEmpty ? nil : changeKey
            )
            changes.append(QueuedChange(entryID: entry.id, notice: notice))
        }
        try await self.acknowledge(entries: junk)
        return changes
    }
}
