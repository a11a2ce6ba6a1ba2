import IMAP
import MIME
import Testing

/// Mailbox names in modified UTF-7 and header words in RFC 2047.
@Suite struct TextEncodingTests {
    @Test(arguments: [
        ("INBOX", "INBOX"), ("Entw&APw-rfe", "Entwürfe"), ("Tom &- Jerry", "Tom & Jerry"), ("&ZeVnLIqe-", "日本語"),
        ("~peter/mail/&U,BTFw-/&ZeVnLIqe-", "~peter/mail/台北/日本語"), ("[Gmail]/&BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1-", "[Gmail]/Отправленные"),
    ])
    func modifiedUTF7RoundTrips(_ encoded: String, _ decoded: String) {
        #expect(ModifiedUTF7.decode(encoded) == decoded)
        #expect(ModifiedUTF7.encode(decoded) == encoded)
    }

    @Test(arguments: ["&", "&Jjo", "&AB!-"])
    func malformedModifiedUTF7IsRefused(_ name: String) {
        #expect(ModifiedUTF7.decode(name) == nil)
    }

    @Test(arguments: [
        ("=?ISO-8859-1?Q?Andr=E9?= Pirard", "André Pirard"),
        ("=?UTF-8?B?w6lsw6hv?= =?UTF-8?Q?_et_caf=C3=A9?=", "élèo et café"),
        ("Re: =?utf-8?q?r=C3=A9union?= demain", "Re: réunion demain"),
        ("plain subject", "plain subject"),
        ("=?x-unknown?Q?kept?=", "=?x-unknown?Q?kept?="),
        ("=?UTF-8?B?not base64?=", "=?UTF-8?B?not base64?="),
    ])
    func encodedWordsAreDecoded(_ raw: String, _ decoded: String) {
        #expect(EncodedWords.decode(raw) == decoded)
    }
}
