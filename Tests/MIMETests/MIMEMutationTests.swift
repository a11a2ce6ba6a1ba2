import MIME
import TestSupport
import Testing

/// A seeded mutation test over whole messages: bytes flipped, dropped, duplicated and spliced thousands of times.
/// Reading must answer a message or throw ``MIMEError``, never trap, and the answer's every accessor must work.
@Suite struct MIMEMutationTests {
    static let mutator = ByteMutator(
        interesting: Array("-=?\"\\;:<>()\r\n\t %*'BbQq0123456789=_".utf8) + [0x00, 0xFF, 0x80, 0xC3],
        edits: 1...8,
        removal: 1...20,
        duplication: 1...200
    ) { bytes, position, generator in
        // A boundary line where none was, or a nested multipart header.
        let insert = Bool.random(using: &generator) ? "\r\n--outer\r\n" : "\r\nContent-Type: multipart/mixed; boundary=outer\r\n\r\n"
        bytes.insert(contentsOf: Array(insert.utf8), at: position)
    }

    @Test func mutatedMessagesNeverTrap() throws {
        let composed = try ComposedMessage(
            from: MIMEAddress(name: "Zoë", address: "zoe@example.com"),
            to: [MIMEAddress(address: "ada@example.com")],
            subject: "Grüße",
            body: .html("<p>Hallo <b>Welt</b></p>"),
            attachments: [ComposedAttachment(fileName: "Ä.bin", contentType: "application/octet-stream", bytes: Array(0..<200))]
        ).render()
        let seeds = [Array(MIMEReadingTests.mixed.utf8), composed]
        let limits = MIMELimits(maximumSize: 64 * 1024, maximumParts: 50, maximumDepth: 8)
        var generator = SeededGenerator(seed: 23)
        var outcomes = (read: 0, refused: 0)
        for _ in 0..<4_000 {
            let bytes = Self.mutator.mutate(seeds.randomElement(using: &generator)!, using: &generator)
            do {
                let message = try MIMEMessage(bytes, limits: limits)
                _ = (message.subject, message.from, message.to, message.cc, message.references, message.messageID, message.body)
                for attachment in message.attachments {
                    #expect(message.attachmentData(id: attachment.id)?.count == attachment.size)
                }
                outcomes.read += 1
            } catch is MIMEError {
                outcomes.refused += 1
            }
        }
        #expect(outcomes.read > 1_000, "\(outcomes)")
    }

    @Test func decodersTakeAnyBytes() {
        var generator = SeededGenerator(seed: 5)
        for _ in 0..<2_000 {
            let bytes = (0..<Int.random(in: 0...64, using: &generator)).map { _ in Self.mutator.interesting.randomElement(using: &generator)! }
            let text = String(decoding: bytes, as: UTF8.self)
            _ = MIMETransferEncoding.decode(bytes, encoding: "base64")
            _ = MIMETransferEncoding.decode(bytes, encoding: "quoted-printable")
            _ = EncodedWords.decode(text)
            _ = MIMEParameterizedValue(text)
            _ = MIMEAddress.list(text)
            _ = HTMLText.plainText(text)
            _ = MIMECharset.text(bytes, charset: "windows-1252")
        }
    }
}
