import TestSupport
import Testing

@testable import SMTP

/// Replies read from bytes: one line and many, the EHLO extensions, what is no reply, the limits; then a seeded
/// mutation test over the transcripts. And the bytes DATA sends.
@Suite struct SMTPReplyParserTests {
    static func replies(_ text: String, limits: SMTPLimits = SMTPLimits()) throws -> [SMTPReply] {
        var buffer = Array(text.utf8)
        var replies: [SMTPReply] = []
        while let reply = try SMTPReplyParser(limits: limits).next(from: &buffer) { replies.append(reply) }
        return replies
    }

    @Test func multiLineRepliesAndExtensions() throws {
        let ehlo = try #require(try Self.replies(SMTPTranscripts.ehloTLS).first)
        #expect(ehlo.code == 250 && ehlo.lines.count == 6)
        let extensions = SMTPExtensions(ehlo: ehlo)
        #expect(extensions.maximumSize == 35_882_577)
        #expect(extensions.authenticationMechanisms.isSuperset(of: ["PLAIN", "LOGIN", "XOAUTH2"]))
        #expect(extensions.contains("8bitmime") && !extensions.contains("STARTTLS"))
        #expect(SMTPExtensions(ehlo: try Self.replies(SMTPTranscripts.ehlo)[0]).contains("STARTTLS"))
        let refused = try Self.replies(SMTPTranscripts.replies[1])
        #expect(
            refused == [
                SMTPReply(
                    code: 535,
                    lines: [
                        "5.7.8 Username and Password not accepted. For more information, go to",
                        "5.7.8  https://support.google.com/mail/?p=BadCredentials",
                    ]
                )
            ]
        )
        #expect(try Self.replies(SMTPTranscripts.all.joined()).count == SMTPTranscripts.all.count)
    }

    @Test func aReplyCutShortWaitsForMore() throws {
        var buffer = Array("250-first\r\n250 sec".utf8)
        #expect(try SMTPReplyParser().next(from: &buffer) == nil)
        buffer += Array("ond\r\n".utf8)
        #expect(try SMTPReplyParser().next(from: &buffer) == SMTPReply(code: 250, lines: ["first", "second"]))
        #expect(buffer.isEmpty)
    }

    @Test(arguments: ["hello\r\n", "25\r\n", "250-a\r\n251 b\r\n", "250_x\r\n", "999 x\r\n", String(repeating: "2", count: 5000)])
    func whatIsNoReplyIsMalformed(_ text: String) {
        #expect {
            try Self.replies(text)
        } throws: { error in
            if case .malformed? = error as? SMTPError { true } else { false }
        }
    }

    @Test func repliesPastTheLimitsAreMalformed() {
        let many = String(repeating: "250-x\r\n", count: 20) + "250 end\r\n"
        #expect(throws: SMTPError.malformed("a reply of more than 10 lines")) { try Self.replies(many, limits: SMTPLimits(maximumLines: 10)) }
        #expect(throws: SMTPError.malformed("a reply line longer than 64 bytes")) {
            try Self.replies("250 " + String(repeating: "x", count: 100) + "\r\n", limits: SMTPLimits(maximumLineLength: 64))
        }
    }

    @Test func mutatedRepliesNeverTrap() {
        var generator = SeededGenerator(seed: 41)
        let seeds = SMTPTranscripts.all.map { Array($0.utf8) }
        let mutator = ByteMutator(interesting: Array("0123456789- \r\n".utf8) + [0, 0xFF], edits: 1...4, duplication: 30...30)
        var outcomes = (replies: 0, errors: 0)
        for _ in 0..<20_000 {
            var buffer = mutator.mutate(seeds.randomElement(using: &generator)!, using: &generator)
            do {
                while let reply = try SMTPReplyParser(limits: SMTPLimits(maximumLineLength: 512, maximumLines: 20)).next(from: &buffer) {
                    #expect((200...599).contains(reply.code))
                    outcomes.replies += 1
                }
                #expect(buffer.count <= 512)
            } catch {
                outcomes.errors += 1
            }
        }
        #expect(outcomes.replies > 1_000 && outcomes.errors > 1_000, "\(outcomes)")
    }

    @Test func dataIsDotStuffedWithCRLFLineEnds() {
        let message = Array(".starts with a dot\nbare LF\rbare CR\r\n..two dots\r\nlast line".utf8)
        let expected = "..starts with a dot\r\nbare LF\r\nbare CR\r\n...two dots\r\nlast line\r\n.\r\n"
        #expect(String(decoding: SMTPConnection.dataBytes(message), as: UTF8.self) == expected)
        #expect(String(decoding: SMTPConnection.dataBytes(Array("a\r\n".utf8)), as: UTF8.self) == "a\r\n.\r\n")
        #expect(String(decoding: SMTPConnection.dataBytes([]), as: UTF8.self) == ".\r\n")
    }

    @Test func onlyTemporaryFailuresAreRetryable() {
        let temporary = SMTPReply(code: 451, lines: ["4.3.0 try later"])
        let permanent = SMTPReply(code: 550, lines: ["5.1.1 unknown"])
        #expect(SMTPError.temporaryFailure(temporary).isRetryable && SMTPError.timedOut.isRetryable)
        #expect(!SMTPError.authenticationFailed(permanent).isRetryable && !SMTPError.rejected(permanent).isRetryable)
        #expect(SMTPError.recipientsRefused([SMTPRecipientRefusal(recipient: "a@b.c", reply: temporary)]).isRetryable)
        #expect(!SMTPError.recipientsRefused([SMTPRecipientRefusal(recipient: "a@b.c", reply: permanent)]).isRetryable)
    }
}
