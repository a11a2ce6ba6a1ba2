import Foundation

/// What `make bench` measures and how big, from `BENCH_*` variables.
struct BenchSettings: Sendable {
    /// Runs of each benchmark; figures are medians over them (`BENCH_RUNS`).
    var runs = 3
    /// The benchmarks to run, by name (`BENCH_ONLY`, comma-separated); all when empty.
    var only: Set<String> = []
    /// Messages of the initial-sync mailbox (`BENCH_MESSAGES`).
    var messages = 50_000
    /// Changes timed from the simulator to the socket (`BENCH_CHANGES`).
    var changes = 1_000
    /// Seconds of each load-generator run (`BENCH_INTAKE_SECONDS`).
    var intakeSeconds = 5
    /// Mailboxes synced at once under Graph's limits (`BENCH_MAILBOXES`).
    var mailboxes = 100
    /// Seconds polled mailboxes are watched (`BENCH_POLL_SECONDS`).
    var pollSeconds = 150
    /// Accounts linked on one node (`BENCH_ACCOUNTS`).
    var accounts = 1_000
    /// Accounts linked across the three nodes of the cluster benchmark (`BENCH_CLUSTER_ACCOUNTS`).
    var clusterAccounts = 10_000
    /// Messages of the IMAP initial-sync mailbox (`BENCH_IMAP_MESSAGES`).
    var imapMessages = 10_000
    /// IMAP changes timed from `doveadm` to the socket, through NOTIFY and through IDLE (`BENCH_IMAP_CHANGES`).
    var imapChanges = 100

    static let benchmarks = ["sync", "changes", "intake", "throttle", "polling", "convergence", "imap", "scale", "cluster", "security"]

    init(environment: [String: String]) throws {
        func integer(_ name: String, _ value: inout Int) throws {
            guard let text = environment[name] else { return }
            guard let number = Int(text), number > 0 else { throw BenchError("\(name) must be a positive integer, not \(text)") }
            value = number
        }
        try integer("BENCH_RUNS", &self.runs)
        try integer("BENCH_MESSAGES", &self.messages)
        try integer("BENCH_CHANGES", &self.changes)
        try integer("BENCH_INTAKE_SECONDS", &self.intakeSeconds)
        try integer("BENCH_MAILBOXES", &self.mailboxes)
        try integer("BENCH_POLL_SECONDS", &self.pollSeconds)
        try integer("BENCH_ACCOUNTS", &self.accounts)
        try integer("BENCH_CLUSTER_ACCOUNTS", &self.clusterAccounts)
        try integer("BENCH_IMAP_MESSAGES", &self.imapMessages)
        try integer("BENCH_IMAP_CHANGES", &self.imapChanges)
        let only = Set((environment["BENCH_ONLY"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        if let unknown = only.subtracting(Self.benchmarks).first {
            throw BenchError("BENCH_ONLY names \(unknown); the benchmarks are \(Self.benchmarks.joined(separator: ", "))")
        }
        self.only = only
    }

    func includes(_ benchmark: String) -> Bool {
        self.only.isEmpty || self.only.contains(benchmark)
    }
}
