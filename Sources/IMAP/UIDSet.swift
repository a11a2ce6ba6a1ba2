/// A set of UIDs as IMAP writes it (`1:3,5,9:12`): ranges in the order sent.
public struct UIDSet: Sendable, Equatable, CustomStringConvertible {
    /// The ranges, each with its bounds in order.
    public var ranges: [ClosedRange<UInt32>]

    /// A set of ranges.
    public init(_ ranges: [ClosedRange<UInt32>]) {
        self.ranges = ranges
    }

    /// Reads `1:3,5`; `nil` for anything else (`*` included: a server's set names real UIDs).
    public init?(_ text: String) {
        var ranges: [ClosedRange<UInt32>] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: ":", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count) else { return nil }
            let numbers = bounds.compactMap { IMAPValue.atom(String($0)).number.flatMap { $0 > 0 ? $0 : nil } }
            guard numbers.count == bounds.count else { return nil }
            ranges.append(min(numbers[0], numbers[numbers.count - 1])...max(numbers[0], numbers[numbers.count - 1]))
        }
        self.ranges = ranges
    }

    /// Whether the set holds `uid`.
    public func contains(_ uid: UInt32) -> Bool {
        self.ranges.contains { $0.contains(uid) }
    }

    /// How many UIDs the set holds (ranges may overlap: each counted).
    public var count: UInt64 {
        self.ranges.reduce(0) { $0 + UInt64($1.upperBound - $1.lowerBound) + 1 }
    }

    public var description: String {
        self.ranges.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound):\($0.upperBound)" }.joined(separator: ",")
    }
}

extension UIDSet {
    /// The set of `uids` (ascending, without repeats), runs written as ranges.
    public init(ascending uids: [UInt32]) {
        var ranges: [ClosedRange<UInt32>] = []
        for uid in uids {
            if let last = ranges.last, last.upperBound < UInt32.max, last.upperBound + 1 == uid {
                ranges[ranges.count - 1] = last.lowerBound...uid
            } else {
                ranges.append(uid...uid)
            }
        }
        self.init(ranges)
    }
}
