/// The connections this node holds open to each IMAP server (host and port), at most `limit` at once, so a server
/// many accounts share is not flooded; a connection over the budget waits its turn.
actor IMAPServerBudget {
    private let limit: Int
    private var open: [String: Int] = [:]
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Takes one of the server's connections, waiting while all are taken.
    func acquire(_ server: String) async {
        while self.open[server, default: 0] >= self.limit {
            await withCheckedContinuation { self.waiting[server, default: []].append($0) }
        }
        self.open[server, default: 0] += 1
    }

    /// How many connections wait for one of the server's.
    func waiting(for server: String) -> Int {
        self.waiting[server]?.count ?? 0
    }

    /// Gives one of the server's connections back, to the first waiter if any.
    func release(_ server: String) {
        let remaining = self.open[server, default: 1] - 1
        self.open[server] = remaining > 0 ? remaining : nil
        guard var queue = self.waiting[server], !queue.isEmpty else { return }
        queue.removeFirst().resume()
        self.waiting[server] = queue.isEmpty ? nil : queue
    }
}
