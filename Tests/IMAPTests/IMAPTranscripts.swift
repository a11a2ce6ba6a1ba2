/// Server responses as Dovecot 2.3 and Gmail send them (from their documentation and the RFCs' examples), the seeds of
/// the parser's tests and of its mutation test.
enum IMAPTranscripts {
    static let greeting = "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ AUTH=PLAIN] Dovecot (Debian) ready.\r\n"
    static let capability =
        "* CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT THREAD=REFERENCES MULTIAPPEND UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW STATUS=SIZE SAVEDATE LITERAL+ NOTIFY SPECIAL-USE\r\n"
    static let selectQResync = [
        "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n",
        "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted.\r\n",
        "* 172 EXISTS\r\n",
        "* 0 RECENT\r\n",
        "* OK [UIDVALIDITY 3857529045] UIDs valid\r\n",
        "* OK [UIDNEXT 4392] Predicted next UID\r\n",
        "* OK [HIGHESTMODSEQ 715194045007] Highest\r\n",
        "* VANISHED (EARLIER) 41,43:116,118,120:211,214:540\r\n",
        "* 49 FETCH (UID 117 FLAGS (\\Seen \\Answered) MODSEQ (90060115194045001))\r\n",
        "A02 OK [READ-WRITE] Select completed (0.001 + 0.000 secs).\r\n",
    ]
    static let fetchEnvelope =
        "* 12 FETCH (UID 4827313 FLAGS (\\Seen) MODSEQ (12121231000) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" RFC822.SIZE 4286 "
        + "ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \"=?UTF-8?B?SU1BUDRyZXYxIFdHIG1tZWV0aW5n?=\" "
        + "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
        + "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) ((NIL NIL \"imap\" \"cac.washington.edu\")) "
        + "((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\") (\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL "
        + "\"<B27397-0100000@cac.washington.edu>\") PREVIEW {27}\r\nThe minutes of the meeting.)\r\n"
    static let list = [
        "* LIST (\\HasNoChildren) \"/\" INBOX\r\n",
        "* LIST (\\HasNoChildren \\Sent) \"/\" Sent\r\n",
        "* LIST (\\HasChildren \\Trash) \"/\" \"Deleted Items\"\r\n",
        "* LIST (\\HasNoChildren) \"/\" \"Entw&APw-rfe\"\r\n",
        "* STATUS \"Entw&APw-rfe\" (MESSAGES 2 UIDNEXT 3 UIDVALIDITY 1700000000 UNSEEN 1 HIGHESTMODSEQ 4)\r\n",
    ]
    static let idle = [
        "+ idling\r\n",
        "* 173 EXISTS\r\n",
        "* 3 EXPUNGE\r\n",
        "* VANISHED 4392\r\n",
        "* 51 FETCH (UID 4390 FLAGS (\\Flagged) MODSEQ (715194045010))\r\n",
    ]
    static let gmail =
        "* 1 FETCH (X-GM-THRID 1278455344230334865 X-GM-MSGID 1278455344230334865 X-GM-LABELS (\\Inbox \\Sent Important \"Muy Importante\") UID 4 FLAGS ())\r\n"
    static let tagged = [
        "A03 OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n",
        "A04 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n",
        "A05 BAD Error in IMAP command: Unknown command.\r\n",
        "* BYE Server shutting down.\r\n",
        "* SEARCH 2 84 882 (MODSEQ 917162500)\r\n",
        "* ENABLED CONDSTORE QRESYNC\r\n",
        "A06 OK [APPENDUID 38505 3955] APPEND completed\r\n",
        "* ESEARCH (TAG \"A07\") UID ALL 1:3,5,9:12\r\n",
        "* ESEARCH (TAG \"A08\") UID COUNT 0\r\n",
    ]

    /// Every transcript, one response each.
    static var all: [String] {
        [Self.greeting, Self.capability, Self.fetchEnvelope, Self.gmail] + Self.selectQResync + Self.list + Self.idle + Self.tagged
    }
}
