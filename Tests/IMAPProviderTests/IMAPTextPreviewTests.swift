import Testing

@testable import IMAPProvider

@Suite("IMAP previews read by the client")
struct IMAPTextPreviewTests {
    static func preview(_ header: String, _ body: String) -> String {
        IMAPTextPreview.preview(header: Array(header.utf8), body: Array(body.utf8))
    }

    @Test("Plain text, its transfer encoding and charset undone, white space collapsed")
    func plainText() {
        #expect(Self.preview("Content-Type: text/plain\r\n", "Hello,\r\n\r\n  the engine.\r\n") == "Hello, the engine.")
        #expect(
            Self.preview(
                "Content-Type: text/plain; charset=\"iso-8859-1\"\r\nContent-Transfer-Encoding: quoted-printable\r\n",
                "Gr=FC=DFe aus K=F6ln, =\r\nbis bald\r\n"
            ) == "Grüße aus Köln, bis bald"
        )
        // "Noted: engine." in base64 on two lines, the second cut by the fetch window in the middle of a quad.
        #expect(Self.preview("Content-Transfer-Encoding: base64\r\n", "Tm90ZWQ6IGVu\r\nZ2luZS4") == "Noted: engin")
        #expect(Self.preview("", String(repeating: "word ", count: 100)).count == IMAPTextPreview.length)
    }

    @Test("The plain part of an alternative, even inside a mixed message; else the HTML one without its tags")
    func multipart() {
        let alternative = """
            --inner\r
            Content-Type: text/html; charset=utf-8\r
            \r
            <html><head><style>p { color: red }</style></head><body><p>Fish &amp; chips</p></body></html>\r
            --inner\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Transfer-Encoding: quoted-printable\r
            \r
            Fish & chips =E2=80=94 Friday\r
            --inner--\r

            """
        let mixed =
            "This is a multi-part message.\r\n--outer\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n" + alternative
            + "--outer\r\nContent-Type: application/pdf\r\n\r\nJVBERi0=\r\n--outer--\r\n"
        #expect(Self.preview("Content-Type: multipart/mixed;\r\n boundary=\"outer\"\r\n", mixed) == "Fish & chips — Friday")
        let htmlOnly = "--b\r\nContent-Type: text/html\r\n\r\n<div>Fish &amp; chips<br>on Friday</div>\r\n--b--\r\n"
        #expect(Self.preview("Content-Type: multipart/alternative; boundary=b\r\n", htmlOnly) == "Fish & chips on Friday")
    }

    @Test(
        "What is no text, or cannot be read, gives no preview",
        arguments: [
            ("Content-Type: image/png\r\n", "iVBORw0KGgo="),
            ("Content-Type: multipart/mixed\r\n", "--x\r\n\r\ntext\r\n"),
            ("Content-Type: multipart/mixed; boundary=x\r\n", "no part at all"),
            ("Content-Transfer-Encoding: base64\r\n", "!!!!"),
        ]
    )
    func nothingReadable(_ header: String, _ body: String) {
        #expect(Self.preview(header, body).isEmpty)
    }
}
