import Foundation
import Testing

@testable import IMAP

/// Strings that cannot be quoted go as literals: the bytes written for each kind of literal.
struct IMAPLiteralTests {
    static func text(_ pieces: [[UInt8]]) -> [String] {
        pieces.map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func quotableStringsAreQuotedAndTheRestAreLiterals() throws {
        var command = IMAPCommand("LOGIN ")
        try command.append(string: "ada \"the\" \\countess")
        command.append(" ")
        try command.append(string: "pässword")
        #expect(command.parts == [.text("LOGIN "), .text(#""ada \"the\" \\countess""#), .text(" "), .literal(Array("pässword".utf8))])

        var long = IMAPCommand("SELECT ")
        try long.append(string: String(repeating: "a", count: IMAPCommand.longestQuotedString + 1))
        #expect(long.parts.last == .literal(Array(repeating: UInt8(ascii: "a"), count: IMAPCommand.longestQuotedString + 1)))

        var lineBreak = IMAPCommand("LOGIN ")
        try lineBreak.append(string: "secret\r\nM9 LOGOUT")
        #expect(lineBreak.parts.last == .literal(Array("secret\r\nM9 LOGOUT".utf8)))
        #expect(throws: IMAPError.self) { try lineBreak.append(string: "nul\0") }
    }

    @Test func synchronizingLiteralsWaitForTheContinuation() throws {
        let command = try IMAPConnection.loginCommand(username: "zoë", password: "secret")
        #expect(Self.text(command.pieces(tag: "M1", literals: .synchronizing)) == ["M1 LOGIN {4}\r\n", "zoë \"secret\"\r\n"])
        var two = IMAPCommand("LOGIN ")
        two.append(literal: Array("a".utf8))
        two.append(" ")
        two.append(literal: Array("b\r\n".utf8))
        #expect(Self.text(two.pieces(tag: "M2", literals: .synchronizing)) == ["M2 LOGIN {1}\r\n", "a {3}\r\n", "b\r\n\r\n"])
    }

    @Test func nonSynchronizingLiteralsGoInOnePiece() throws {
        let command = try IMAPConnection.loginCommand(username: "zoë", password: "pässword")
        #expect(
            Self.text(command.pieces(tag: "M1", literals: .nonSynchronizing(maximumLength: nil)))
                == ["M1 LOGIN {4+}\r\nzoë {9+}\r\npässword\r\n"]
        )
    }

    @Test func literalMinusSynchronizesWhatIsLongerThan4096Bytes() {
        let form = IMAPCommand.LiteralForm(capabilities: ["IMAP4REV1", "LITERAL-"])
        #expect(form == .nonSynchronizing(maximumLength: 4096))
        #expect(IMAPCommand.LiteralForm(capabilities: ["LITERAL+", "LITERAL-"]) == .nonSynchronizing(maximumLength: nil))
        #expect(IMAPCommand.LiteralForm(capabilities: ["IMAP4REV1"]) == .synchronizing)
        var command = IMAPCommand("APPEND INBOX ")
        command.append(literal: Array(repeating: UInt8(ascii: "x"), count: 4096))
        command.append(" ")
        command.append(literal: Array(repeating: UInt8(ascii: "y"), count: 4097))
        let pieces = command.pieces(tag: "M3", literals: form)
        #expect(pieces.count == 2)
        #expect(Self.text(pieces).first?.hasPrefix("M3 APPEND INBOX {4096+}\r\nxxx") == true)
        #expect(Self.text(pieces).first?.hasSuffix("xxx {4097}\r\n") == true)
        #expect(pieces.last == Array(repeating: UInt8(ascii: "y"), count: 4097) + Array("\r\n".utf8))
    }
}
