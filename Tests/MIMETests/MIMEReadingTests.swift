import MIME
import Testing

/// Reading whole messages: the header fields people read, the body to show, the attachments and their bytes, and the
/// limits.
@Suite struct MIMEReadingTests {
    static let mixed = """
        From: =?UTF-8?Q?Ada_Lovelace?= <ada@example.com>\r
        To: "Babbage, Charles" <charles@example.com>, grace@example.net (Grace),\r
         Friends: =?ISO-8859-1?Q?Andr=E9?= <andre@example.org>, bob@example.org;\r
        Cc: <carol@example.com>\r
        Reply-To: replies@example.com\r
        Subject: =?UTF-8?B?Tm90ZXMgb24gdGhl?= =?UTF-8?Q?_Analytical_Engine_=E2=80=94_draft?=\r
        Message-ID: <note-2@example.com>\r
        In-Reply-To: <note-1@example.com>\r
        References: <note-0@example.com>\r
         <note-1@example.com>\r
        MIME-Version: 1.0\r
        Content-Type: multipart/mixed; boundary="outer"\r
        \r
        This is a multi-part message in MIME format.\r
        --outer\r
        Content-Type: multipart/related; boundary="related"\r
        \r
        --related\r
        Content-Type: multipart/alternative; boundary="alt"\r
        \r
        --alt\r
        Content-Type: text/plain; charset=utf-8\r
        Content-Transfer-Encoding: quoted-printable\r
        \r
        Fish & chips =E2=80=94 Friday\r
        --alt\r
        Content-Type: text/html; charset=utf-8\r
        Content-Transfer-Encoding: base64\r
        \r
        PHA+RmlzaCAmYW1wOyBjaGlwcyDigJQgRnJpZGF5PGltZyBzcmM9ImNpZDpsb2dvQGV4YW1wbGUi\r
        PjwvcD4=\r
        --alt--\r
        --related\r
        Content-Type: image/png\r
        Content-ID: <logo@example>\r
        Content-Transfer-Encoding: base64\r
        \r
        iVBORw0KGgo=\r
        --related--\r
        --outer\r
        Content-Type: application/pdf; name="=?UTF-8?Q?Men=C3=BC.pdf?="\r
        Content-Disposition: attachment;\r
         filename*0*=utf-8''Men%C3%BC%20f%C3%BCr;\r
         filename*1*=%20Freitag.pdf\r
        Content-Transfer-Encoding: base64\r
        \r
        JVBERi0xLjQK\r
        --outer\r
        Content-Type: text/plain; charset=windows-1252; name=notes.txt\r
        Content-Disposition: attachment\r
        Content-Transfer-Encoding: quoted-printable\r
        \r
        =80 5 =96 =93quoted=94\r
        --outer--\r
        Epilogue.\r

        """

    @Test func headerFieldsAreReadForPeople() throws {
        let message = try MIMEMessage(Array(Self.mixed.utf8))
        #expect(message.subject == "Notes on the Analytical Engine — draft")
        #expect(message.from == [MIMEAddress(name: "Ada Lovelace", address: "ada@example.com")])
        #expect(
            message.to == [
                MIMEAddress(name: "Babbage, Charles", address: "charles@example.com"), MIMEAddress(address: "grace@example.net"),
                MIMEAddress(name: "André", address: "andre@example.org"), MIMEAddress(address: "bob@example.org"),
            ]
        )
        #expect(message.cc == [MIMEAddress(address: "carol@example.com")])
        #expect(message.replyTo.map(\.address) == ["replies@example.com"])
        #expect(message.bcc.isEmpty)
        #expect(message.messageID == "<note-2@example.com>")
        #expect(message.inReplyTo == ["<note-1@example.com>"])
        #expect(message.references == ["<note-0@example.com>", "<note-1@example.com>"])
    }

    @Test func theHTMLAlternativeIsShownAndEveryOtherLeafIsAnAttachment() throws {
        let message = try MIMEMessage(Array(Self.mixed.utf8))
        let body = try #require(message.body)
        #expect(body.contentType == "html")
        #expect(body.content == "<p>Fish &amp; chips — Friday<img src=\"cid:logo@example\"></p>")
        #expect(body.partID == "1.1.2")
        let attachments = message.attachments
        #expect(attachments.map(\.id) == ["1.2", "2", "3"])
        #expect(
            attachments[0] == MIMEAttachment(id: "1.2", fileName: nil, contentType: "image/png", size: 8, isInline: true, contentID: "logo@example")
        )
        #expect(attachments[1].fileName == "Menü für Freitag.pdf" && attachments[1].contentType == "application/pdf" && !attachments[1].isInline)
        #expect(attachments[2].fileName == "notes.txt" && attachments[2].size == 14)
        #expect(message.attachmentData(id: "2") == Array("%PDF-1.4\n".utf8))
        #expect(message.attachmentData(id: "1.2") == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(message.attachmentData(id: "1") == nil, "a container has no bytes of its own")
        #expect(message.attachmentData(id: "9") == nil)
        let notes = try #require(message.root.part(id: "3"))
        #expect(notes.text == "€ 5 – “quoted”")
    }

    @Test func aMessageOfOnePartIsPartOne() throws {
        let latin1: [UInt8] =
            Array("Subject: =?iso-8859-1?q?caf=E9?=\r\nContent-Type: text/plain; charset=ISO-8859-1\r\n\r\nK".utf8) + [0xF6, 0x6C, 0x6E]
        let message = try MIMEMessage(latin1)
        #expect(message.subject == "café")
        #expect(message.body == MIMEBody(contentType: "text", content: "Köln", partID: "1"))
        #expect(message.attachments.isEmpty)
        // No header at all, LF line ends, an unknown charset read as UTF-8.
        let bare = try MIMEMessage(Array("\nhello\n".utf8))
        #expect(bare.body?.content == "hello\n" && bare.subject.isEmpty)
        let unknown = try MIMEMessage(Array("Content-Type: text/plain; charset=x-klingon\n\nqapla\u{2019}".utf8))
        #expect(unknown.body?.content == "qapla\u{2019}")
    }

    @Test func aPlainAlternativeIsShownWhenThereIsNoHTML() throws {
        let text =
            "Content-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nplain\r\n--b\r\nContent-Type: text/enriched\r\n\r\nrich\r\n--b--\r\n"
        let message = try MIMEMessage(Array(text.utf8))
        #expect(message.body?.content == "plain" && message.body?.contentType == "text")
        #expect(message.attachments.map(\.contentType) == ["text/enriched"])
    }

    @Test func limitsAreEnforced() throws {
        #expect(throws: MIMEError.tooLarge(size: 11, limit: 10)) { try MIMEMessage(Array("Subject: x\n".utf8), limits: MIMELimits(maximumSize: 10)) }
        var many = "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
        for index in 0..<20 { many += "--b\r\n\r\npart \(index)\r\n" }
        many += "--b--\r\n"
        #expect(throws: MIMEError.tooManyParts(limit: 10)) { try MIMEMessage(Array(many.utf8), limits: MIMELimits(maximumParts: 10)) }
        var deep = ""
        for level in 0..<30 { deep += "Content-Type: multipart/mixed; boundary=b\(level)\r\n\r\n--b\(level)\r\n" }
        #expect(throws: MIMEError.tooDeep(limit: 20)) { try MIMEMessage(Array(deep.utf8)) }
    }
}
