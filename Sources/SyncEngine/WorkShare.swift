internal import Foundation
public import Logging
public import MailpulseCore
public import ServiceLifecycle
internal import Synchronization

/// This node's share of the periodic work (scheduled rounds, polling, the start-up catch-up, subscription renewals,
/// connection watchers): the nodes announce themselves on the backplane every `interval`, and each account falls to
/// exactly one of the nodes alive by rendezvous hashing, so a node that joins or leaves moves only its own share.
/// A node that dies without a word drops out when its announcement ends (`ttl`); every node sees the change at its
/// next heartbeat, so its share is taken over within `ttl + interval`.
public final class WorkShare: Service, CustomStringConvertible {
    /// The nodes alive at one moment, as this node saw them.
    public struct View: Sendable, Equatable {
        /// This node.
        public let node: String
        /// Every node alive, this one included; empty when this node works alone.
        public let members: [String]

        /// A node alone: every account is its own (a one-shot command, a backplane not reached yet).
        public static let everything = View(node: "", members: [])

        /// Creates a view.
        public init(node: String, members: [String]) {
            self.node = node
            self.members = members
        }

        /// Whether the account's periodic work falls to this node.
        public func owns(_ account: AccountID) -> Bool {
            guard self.members.count > 1 else { return true }
            let key = account.description
            var owner = self.node
            var highest: UInt64 = 0
            for member in self.members {
                let weight = Self.mix(Self.hash(member + "\u{0}" + key))
                if weight > highest || (weight == highest && member < owner) {
                    highest = weight
                    owner = member
                }
            }
            return owner == self.node
        }

        /// Where in a period the account's scheduled work falls, in [0, 1): the same on every node, and spread
        /// evenly over the accounts, so that a round of every account is not a burst at the period's start.
        public static func phase(of account: AccountID) -> Double {
            Double(Self.mix(Self.hash(account.description)) >> 11) / Double(UInt64(1) << 53)
        }

        /// FNV-1a, 64 bits: the same on every node and every run (Swift's `Hasher` is seeded per process).
        private static func hash(_ text: String) -> UInt64 {
            text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
        }

        /// SplitMix64's finalizer: FNV's close inputs (ids that differ in one character) end far apart.
        private static func mix(_ value: UInt64) -> UInt64 {
            var z = value &+ 0x9e37_79b9_7f4a_7c15
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
    }

    /// This node's name among the members.
    public let node: String
    private let backplane: any Backplane
    /// How often this node announces itself: how old ``current()``'s view may be.
    public let interval: Duration
    private let ttl: Duration
    private let clock: any Clock<Duration>
    private let logger: Logger
    /// The last view a heartbeat answered.
    private let seen = Mutex<View?>(nil)

    /// A share for node `node` (a name no other node has), announced every `interval` for `ttl` (waits on `clock`, the backplane's).
    public init(
        backplane: any Backplane,
        node: String,
        interval: Duration = .seconds(3),
        ttl: Duration = .seconds(10),
        clock: any Clock<Duration> = ContinuousClock(),
        logger: Logger
    ) {
        precondition(ttl > interval, "an announcement must outlive the wait for the next one")
        self.node = node
        self.backplane = backplane
        self.interval = interval
        self.ttl = ttl
        self.clock = clock
        self.logger = logger
    }

    public var description: String { "WorkShare" }

    /// The nodes alive as the last heartbeat saw them, at most an interval old while the share runs: no round trip
    /// for the many callers; a heartbeat first when there has been none.
    public func current() async -> View {
        if let seen = self.seen.withLock({ $0 }) { return seen }
        return await self.heartbeat()
    }

    /// Announces this node and answers the nodes alive now. When the backplane does not answer, the last view (or
    /// this node alone): the work goes on, and locks keep it from running twice.
    @discardableResult
    public func heartbeat() async -> View {
        do {
            let members = try await self.backplane.heartbeat(self.node, ttl: self.ttl)
            let view = View(node: self.node, members: members)
            let previous = self.seen.withLock { seen in
                defer { seen = view }
                return seen
            }
            if previous?.members != members {
                self.logger.info("Nodes sharing the work", metadata: ["nodes.count": "\(members.count)", "node.id": "\(self.node)"])
            }
            return view
        } catch {
            self.logger.warning("Heartbeat not sent", metadata: ["error.type": "\(error)"])
            return self.seen.withLock { $0 } ?? .everything
        }
    }

    /// Announces this node every interval; on a graceful stop, withdraws it so the others take its share at once.
    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.heartbeat()
                try await self.clock.sleep(for: self.interval)
            }
        }
        try? await self.backplane.leave(self.node)
    }
}
