import MIME
import TestSupport
import Testing

/// A seeded mutation test over whole messages: bytes flipped, dropped, duplicated and spliced thousands of times.
/// Reading must answer a message or throw ``MIMEError``, never trap, and the answer's every accessor must work.
@Suite struct MIMEMutationTests {
    static let interesting: [UInt8] = Array("-=?\"\\;:<>()\r\n\t %*'BbQq0123456789=_".utf8) + [0x00, 0xFF, 0x80, 0xC3]

    static func mutate(_ bytes: [UInt8], using generator: inout SeededGenerator) -> [UInt8] {
        var result = bytes
        for _ in 0..<Int.random(in: 1...8, using: &generator) where !result.isEmpty {
            let position = Int.random(in: 0..<result.count, using: &generator)
            switch Int.random(in: 0..<6, using: &generator) {
            case 0: result[position] = Self.interesting.randomElement(using: &generator)!
            case 1: result.removeSubrange(position..<min(result.count, position + Int.random(in: 1...20, using: &generator)))
            case 2: result.insert(Self.interesting.randomElement(using: &generator)!, at: position)
            case 3:
                let end = min(result.count, position + Int.random(in: 1...200, using: &generator))
                result.insert(contentsOf: result[position..<end], at: position)
            case 4: result[position] = UInt8.random(in: 0...255, using: &generator)
            default:
                // A boundary line where none was, or a nested multipart header.
                let insert = Bool.random(using: &generator) ? "\r\n--outer\r\n" : "\r\nContent-Type: multipart/mixed; boundary=outer\r\n\r\n"
                result.insert(contentsOf: Array(insert.utf8), at: position)
            }
        }
        return result
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
            let bytes = Self.mutate(seeds.randomElement(using: &generator)!, using: &generator)
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
            let bytes = (0..<Int.random(in: 0...64, using: &generator)).map { _ in Self.interesting.randomElement(using: &generator)! }
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
