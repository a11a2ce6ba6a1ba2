import IMAP
import TestSupport
import Testing

/// A seeded mutation test over the recorded transcripts: bytes flipped, dropped, duplicated and spliced, tens of
/// thousands of times. The parser must answer a response, ask for more bytes or throw, never trap, and never hold more
/// than its limits allow.
@Suite struct IMAPParserMutationTests {
    static let mutator = ByteMutator(
        interesting: Array("(){}[]\"\\ \r\n*+0123456789:,NILFETCHUID".utf8) + [0x00, 0xFF, 0x80],
        edits: 1...6,
        duplication: 1...40
    ) { bytes, position, generator in
        // A literal announcing a length that lies.
        bytes.insert(contentsOf: Array("{\(Int.random(in: 0...300, using: &generator))}\r\n".utf8), at: position)
    }

    @Test func mutatedTranscriptsNeverTrapNorGrowPastTheLimits() throws {
        let limits = IMAPLimits(maximumLineLength: 4096, maximumLiteralLength: 1024, maximumResponseLength: 8192, maximumDepth: 16)
        let parser = IMAPResponseParser(limits: limits)
        let seeds = IMAPTranscripts.all.map { Array($0.utf8) }
        var generator = SeededGenerator(seed: 17)
        var outcomes = (responses: 0, errors: 0, waiting: 0)
        for _ in 0..<30_000 {
            var buffer = Self.mutator.mutate(seeds.randomElement(using: &generator)!, using: &generator)
            do {
                while let _ = try parser.next(from: &buffer) { outcomes.responses += 1 }
                outcomes.waiting += buffer.isEmpty ? 0 : 1
                #expect(buffer.count <= limits.maximumResponseLength + limits.maximumLineLength)
            } catch is IMAPParseError {
                outcomes.errors += 1
            }
        }
        // The mutations reach every outcome: the test is not just feeding valid or hopeless input.
        #expect(outcomes.responses > 1_000 && outcomes.errors > 1_000 && outcomes.waiting > 100, "\(outcomes)")
    }
}
