import IMAP
import MailpulseCore
import Testing

@testable import IMAPProvider

@Suite("IMAP message mapping")
struct IMAPMessageMappingTests {
    let account = AccountID.random()

    static func attributes(uid: UInt32? = 7, flags: [String] = [], modSequence: UInt64? = 42) -> IMAPMessageAttributes {
        var attributes = IMAPMessageAttributes()
        attributes.uid = uid
        attributes.flags = flags
        attributes.modSequence = modSequence
        attributes.internalDate = "17-Jul-1996 02:44:25 -0700"
        attributes.preview = "The minutes of the meeting."
        attributes.envelope = IMAPEnvelope(
            date: "Wed, 17 Jul 1996 02:23:25 -0700 (PDT)",
            subject: "=?UTF-8?B?SU1BUDRyZXYxIFdHIG1tZWV0aW5n?=",
            from: [IMAPAddress(name: "=?ISO-8859-1?Q?Andr=E9?= Gray", mailbox: "gray", host: "cac.washington.edu")],
            sender: [IMAPAddress(name: "=?ISO-8859-1?Q?Andr=E9?= Gray", mailbox: "gray", host: "cac.washington.edu")],
            replyTo: [],
            to: [IMAPAddress(name: nil, mailbox: "imap", host: "cac.washington.edu")],
            cc: [IMAPAddress(name: "John Klensin", mailbox: "KLENSIN", host: "MIT.EDU"), IMAPAddress(name: "group", mailbox: nil, host: nil)],
            bcc: [],
            inReplyTo: nil,
            messageID: "<B27397-0100000@cac.washington.edu>"
        )
        return attributes
    }

    @Test("Envelope, dates, flags and preview become the mirror's fields")
    func aFetchedMessageBecomesAMirrorMessage() throws {
        let folder = IMAPFolderID.of("INBOX")
        let message = try #require(
            IMAPMessageMapping.message(
                Self.attributes(flags: ["\\Seen", "\\Flagged", "$Label1", "\\Recent"]),
                account: self.account,
                folderID: folder,
                uidValidity: 3_857_529_045
            )
        )
        #expect(message.id == "\(folder).3857529045.7" && message.mailboxID == folder && message.accountID == self.account)
        #expect(message.subject == "IMAP4rev1 WG mmeeting")
        #expect(message.from == EmailAddress(name: "André Gray", address: "gray@cac.washington.edu"))
        #expect(message.sender == nil, "the sender is the author: not repeated")
        #expect(message.toRecipients == [EmailAddress(name: "", address: "imap@cac.washington.edu")])
        #expect(message.ccRecipients == [EmailAddress(name: "John Klensin", address: "KLENSIN@MIT.EDU")])
        #expect(message.receivedAt == 837_596_665_000 && message.sentAt == 837_595_405_000)
        #expect(message.isRead && message.flag == .flagged && !message.isDraft)
        #expect(message.categories == ["$Label1"])
        #expect(message.bodyPreview == "The minutes of the meeting.")
        #expect(message.internetMessageID == "<B27397-0100000@cac.washington.edu>")
        #expect(message.version == MessageVersion(sequence: 42, changeKey: "$label1 \\flagged \\recent \\seen"))
    }

    @Test("Versions order by MODSEQ; without it, a flag change is of unknown order and is read again")
    func versions() {
        let before = IMAPMessageMapping.version(modSequence: 5, flags: ["\\Seen"])
        #expect(IMAPMessageMapping.version(modSequence: 6, flags: []).ordering(against: before) == .newer)
        #expect(IMAPMessageMapping.version(modSequence: 5, flags: ["\\SEEN"]).ordering(against: before) == .same)
        let plain = IMAPMessageMapping.version(modSequence: nil, flags: ["\\Seen"])
        #expect(IMAPMessageMapping.version(modSequence: nil, flags: ["\\Seen", "\\Flagged"]).ordering(against: plain) == .unordered)
    }

    @Test("A message without its UID is not a message of the mirror")
    func withoutAUIDNothing() {
        #expect(IMAPMessageMapping.message(Self.attributes(uid: nil), account: self.account, folderID: "x", uidValidity: 1) == nil)
    }

    @Test("What is fetched follows what the server offers")
    func itemsFollowCapabilities() {
        #expect(!IMAPMessageMapping.items([]).contains("MODSEQ"))
        #expect(IMAPMessageMapping.items(["CONDSTORE", "PREVIEW"]).contains("MODSEQ"))
        #expect(IMAPMessageMapping.items(["CONDSTORE", "PREVIEW"]).contains("PREVIEW"))
        #expect(IMAPMessageMapping.items(["X-GM-EXT-1"]).contains("X-GM-THRID"))
    }
}
