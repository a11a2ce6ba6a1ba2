/// The edits of the seeded mutation tests: bytes replaced by ones the parser cares about or by any byte, runs removed,
/// bytes inserted, runs duplicated, and one edit of the format's own (a lying literal, a stray boundary).
public struct ByteMutator: Sendable {
    /// The bytes the format gives meaning to, most likely to reach its corners.
    public var interesting: [UInt8]
    /// How many edits one mutation makes.
    public var edits: ClosedRange<Int>
    /// How long a removed run is.
    public var removal: ClosedRange<Int>
    /// How long a duplicated run is.
    public var duplication: ClosedRange<Int>
    /// The format's own edit at a position, if it has one.
    public var special: (@Sendable (_ bytes: inout [UInt8], _ position: Int, _ generator: inout SeededGenerator) -> Void)?

    /// A mutator.
    public init(
        interesting: [UInt8],
        edits: ClosedRange<Int>,
        removal: ClosedRange<Int> = 1...1,
        duplication: ClosedRange<Int>,
        special: (@Sendable (_ bytes: inout [UInt8], _ position: Int, _ generator: inout SeededGenerator) -> Void)? = nil
    ) {
        self.interesting = interesting
        self.edits = edits
        self.removal = removal
        self.duplication = duplication
        self.special = special
    }

    /// `bytes` with a few edits at random positions.
    public func mutate(_ bytes: [UInt8], using generator: inout SeededGenerator) -> [UInt8] {
        var result = bytes
        for _ in 0..<Int.random(in: self.edits, using: &generator) where !result.isEmpty {
            let position = Int.random(in: 0..<result.count, using: &generator)
            switch Int.random(in: 0..<(self.special == nil ? 5 : 6), using: &generator) {
            case 0: result[position] = self.interesting.randomElement(using: &generator)!
            case 1: result.removeSubrange(position..<min(result.count, position + Int.random(in: self.removal, using: &generator)))
            case 2: result.insert(self.interesting.randomElement(using: &generator)!, at: position)
            case 3:
                let end = min(result.count, position + Int.random(in: self.duplication, using: &generator))
                result.insert(contentsOf: result[position..<end], at: position)
            case 4: result[position] = UInt8.random(in: 0...255, using: &generator)
            default: self.special?(&result, position, &generator)
            }
        }
        return result
    }
}
