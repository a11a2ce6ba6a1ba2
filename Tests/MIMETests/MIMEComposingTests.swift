import Foundation
import MIME
import Testing

/// Composing messages: what is rendered reads back the same, keeps to RFC 5322's line lengths, never writes Bcc and
/// refuses header injection.
@Suite struct MIMEComposingTests {
    static let sender = MIMEAddress(name: "Zoë Ångström, PhD", address: "zoe@example.com")

    static func lines(_ bytes: [UInt8]) -> [String] {
        String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
    }

    @Test func anHTMLMessageWithAttachmentsReadsBackTheSame() throws {
        let file = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let subject = "Überraschung für das Team — 日本語 " + String(repeating: "lange Betreffzeile ", count: 6)
        let outgoing = ComposedMessage(
            from: Self.sender,
            to: [MIMEAddress(name: "Ada \"The Countess\" Lovelace", address: "ada@example.com"), MIMEAddress(address: "grace@example.net")],
            cc: [MIMEAddress(name: "Babbage, Charles", address: "charles@example.com")],
            bcc: [MIMEAddress(address: "secret@example.org")],
            subject: subject,
            body: .html("<html><body><p>Hallo <b>Welt</b> &amp; Grüße</p><p>.dot line</p><img src=\"cid:logo\"></body></html>"),
            attachments: [
                ComposedAttachment(
                    fileName: "Übersicht März 2026 – sehr langer Dateiname für den Test.pdf",
                    contentType: "application/pdf",
                    bytes: file
                ),
                ComposedAttachment(fileName: "logo.png", contentType: "image/png", bytes: [1, 2, 3], contentID: "logo"),
            ],
            inReplyTo: "<earlier@example.com>",
            references: ["<first@example.com>", "<earlier@example.com>"],
            extraHeaders: [MIMEField("X-Mailer", "Mailpulse")]
        )
        let bytes = try outgoing.render()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(bytes.allSatisfy { $0 < 0x80 }, "7-bit throughout")
        #expect(!text.contains("secret@example.org"), "Bcc is never written")
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "CR LF line ends only")
        let header = text.components(separatedBy: "\r\n\r\n")[0]
        for line in Self.lines(Array(header.utf8)) { #expect(line.utf8.count <= 78, "\(line)") }
        for line in Self.lines(bytes) { #expect(line.utf8.count <= 998) }

        let message = try MIMEMessage(bytes)
        #expect(message.subject == subject)
        #expect(message.from == [Self.sender])
        #expect(message.to == outgoing.to && message.cc == outgoing.cc && message.bcc.isEmpty)
        #expect(message.messageID == outgoing.messageID && outgoing.messageID.hasSuffix("@example.com>"))
        #expect(message.inReplyTo == ["<earlier@example.com>"] && message.references == outgoing.references)
        #expect(message.header["X-Mailer"] == "Mailpulse")
        #expect(message.body?.contentType == "html")
        #expect(message.body?.content.contains("<p>Hallo <b>Welt</b> &amp; Grüße</p>") == true)
        let plain = try #require(message.root.leaves.first { $0.contentType == "text/plain" })
        #expect(plain.text == "Hallo Welt & Grüße\r\n.dot line")
        let attachments = message.attachments
        #expect(attachments.map(\.fileName) == ["Übersicht März 2026 – sehr langer Dateiname für den Test.pdf", "logo.png"])
        #expect(attachments.map(\.isInline) == [false, true] && attachments[1].contentID == "logo")
        #expect(message.attachmentData(id: attachments[0].id) == file)
        #expect(outgoing.recipients == ["ada@example.com", "grace@example.net", "charles@example.com", "secret@example.org"])
    }

    @Test func aPlainTextMessageIsQuotedPrintable() throws {
        let body = "Zeile eins = gleich\n" + String(repeating: "ä", count: 100) + "\n.punkt\nend with space \n"
        let date = Date(timeIntervalSince1970: 1_795_600_800)
        let outgoing = ComposedMessage(
            from: MIMEAddress(address: "ada@example.com"),
            to: [MIMEAddress(address: "grace@example.net")],
            subject: "plain",
            body: .text(body),
            messageID: "<fixed@example.com>",
            date: date
        )
        let bytes = try outgoing.render()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("Date: Wed, 25 Nov 2026 10:00:00 +0000\r\n"), "\(text)")
        #expect(text.contains("Content-Transfer-Encoding: quoted-printable"))
        for line in Self.lines(bytes) { #expect(line.utf8.count <= 78, "\(line)") }
        let message = try MIMEMessage(bytes)
        #expect(message.body == MIMEBody(contentType: "text", content: body.replacingOccurrences(of: "\n", with: "\r\n"), partID: "1"))
        #expect(message.date == "Wed, 25 Nov 2026 10:00:00 +0000")
    }

    @Test(arguments: [
        ComposedMessage(from: MIMEAddress(address: "a@example.com"), subject: "Hi\r\nBcc: victim@example.com", body: .text("")),
        ComposedMessage(from: MIMEAddress(address: "a@example.com\nBcc: v@example.com"), subject: "Hi", body: .text("")),
        ComposedMessage(from: MIMEAddress(name: "Eve\r\nX-Evil: 1", address: "a@example.com"), subject: "Hi", body: .text("")),
        ComposedMessage(from: MIMEAddress(address: "a@example.com"), to: [MIMEAddress(address: "b@example.com\r")], subject: "Hi", body: .text("")),
        ComposedMessage(from: MIMEAddress(address: "a@example.com"), subject: "Hi", body: .text(""), inReplyTo: "<x>\r\nBcc: v@example.com"),
        ComposedMessage(from: MIMEAddress(address: "a@example.com"), subject: "Hi", body: .text(""), extraHeaders: [MIMEField("X-A", "1\n2")]),
    ])
    func aLineBreakInAHeaderIsRefused(_ message: ComposedMessage) {
        #expect {
            try message.render()
        } throws: { error in
            guard case .lineBreakInHeader? = error as? MIMEError else { return false }
            return "\(error)".contains("line break")
        }
    }

    @Test func whatCannotBeWrittenIsRefused() {
        #expect(throws: MIMEError.invalidAddress("no-at-sign")) {
            try ComposedMessage(from: MIMEAddress(address: "no-at-sign"), subject: "", body: .text("")).render()
        }
        #expect(throws: MIMEError.invalidHeaderName("Bad Name")) {
            try ComposedMessage(from: MIMEAddress(address: "a@b.c"), subject: "", body: .text(""), extraHeaders: [MIMEField("Bad Name", "x")])
                .render()
        }
    }

    @Test func encodedWordsRoundTrip() {
        for text in ["", "ascii", "Grüße aus Köln", String(repeating: "日本語", count: 30)] {
            let words = EncodedWords.encode(text)
            #expect(words.allSatisfy { $0.utf8.count <= 75 })
            #expect(EncodedWords.decode(words.joined(separator: " ")) == text)
        }
    }
}
