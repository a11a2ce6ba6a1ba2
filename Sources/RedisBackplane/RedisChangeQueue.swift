public import MailpulseCore
public import Redis

/// ``ChangeQueue`` on a Redis stream read through a consumer group, with a coalescing key per waiting hint's scope
/// (``ChangeHint/coalescingKey``).
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

    public func enqueue(groups: [[ChangeHint]]) async throws -> [Int] {
        let hints = groups.flatMap(\.self)
        guard !hints.isEmpty else { return groups.map { _ in 0 } }
        var arguments = [RedisArgument(self.maximumLength), RedisArgument(self.coalescingTTL.milliseconds)]
        for hint in hints {
            arguments.append(RedisArgument(hint.coalescingKey.map { "\(self.pendingPrefix)\($0)" } ?? ""))
            arguments += Self.fields(of: hint).map { RedisArgument($0.1) }
        }
        let reply = try await self.client.evaluate(ChangeQueueScripts.enqueue, keys: [self.stream], arguments: arguments)
        guard let flags = reply.array?.compactMap(\.integer), flags.count == hints.count else {
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

    public func begin(_ hint: ChangeHint) async throws -> ChangeHint {
        guard let key = hint.coalescingKey,
            let waiting = try await self.client.getdel("\(self.pendingPrefix)\(key)"),
            let separator = waiting.firstIndex(of: "|"),
            let kind = ChangeHint.Kind(rawValue: String(waiting[..<separator]))
        else { return hint }
        // The script has merged every hint that waited into this one; it is joined with the worker's own.
        var waited = hint
        waited.kind = kind
        let changeKey = String(waiting[waiting.index(after: separator)...])
        waited.changeKey = changeKey.isEmpty ? nil : changeKey
        return hint.joining(waited)
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
            fields: Self.fields(of: change.hint) + [("reason", reason), ("entry", change.entryID)],
            approximateMaximumLength: 10_000
        )
        try await self.acknowledge([change])
    }

    public func length() async throws -> Int {
        try await self.client.xlen(self.stream)
    }

    public func deadLetterCount() async throws -> Int {
        try await self.client.xlen(self.deadLetters)
    }

    /// The entry's fields, in the order the enqueue script takes them.
    private static func fields(of hint: ChangeHint) -> [(String, String)] {
        [
            (ChangeStreamField.account.rawValue, hint.accountID.description),
            (ChangeStreamField.subscription.rawValue, hint.subscriptionID ?? ""),
            (ChangeStreamField.kind.rawValue, hint.kind.rawValue),
            (ChangeStreamField.message.rawValue, hint.messageID ?? ""),
            (ChangeStreamField.mailbox.rawValue, hint.mailboxID ?? ""),
            (ChangeStreamField.changeKey.rawValue, hint.changeKey ?? ""),
        ]
    }

    /// Entries as changes; an entry that is not one (written by something else, or trimmed) is acknowledged away.
    private func parsed(_ entries: [RedisStreamEntry]) async throws -> [QueuedChange] {
        var changes: [QueuedChange] = []
        var junk: [String] = []
        for entry in entries {
            guard let account = entry[ChangeStreamField.account.rawValue].flatMap(AccountID.init),
                let kind = entry[ChangeStreamField.kind.rawValue].flatMap(ChangeHint.Kind.init(rawValue:))
            else {
                junk.append(entry.id)
                continue
            }
            func field(_ name: ChangeStreamField) -> String? {
                entry[name.rawValue].flatMap { $0.isEmpty ? nil : $0 }
            }
            let hint = ChangeHint(
                accountID: account,
                subscriptionID: field(.subscription),
                kind: kind,
                messageID: field(.message),
                mailboxID: field(.mailbox),
                changeKey: field(.changeKey)
            )
            changes.append(QueuedChange(entryID: entry.id, hint: hint))
        }
        try await self.acknowledge(entries: junk)
        return changes
    }
}
