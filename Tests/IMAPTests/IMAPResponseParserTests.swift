import IMAP
import MIME
import Testing

/// The parser against responses as servers send them.
@Suite struct IMAPResponseParserTests {
    static func parse(_ text: String, limits: IMAPLimits = IMAPLimits()) throws -> [IMAPResponse] {
        var buffer = Array(text.utf8)
        var responses: [IMAPResponse] = []
        let parser = IMAPResponseParser(limits: limits)
        while let response = try parser.next(from: &buffer) { responses.append(response) }
        #expect(buffer.isEmpty, "every byte belongs to a response")
        return responses
    }

    @Test func anExtendedSearchGivesItsSetAndCount() throws {
        let responses = try Self.parse(IMAPTranscripts.tagged.filter { $0.hasPrefix("* ESEARCH") }.joined())
        #expect(
            responses == [
                .untagged(.extendedSearch(all: UIDSet([1...3, 5...5, 9...12]), count: nil)),
                .untagged(.extendedSearch(all: nil, count: 0)),
            ]
        )
        #expect(throws: IMAPParseError.self) { try Self.parse("* ESEARCH (TAG \"A\") UID ALL 1:*\r\n") }
    }

    @Test func theGreetingCarriesItsCapabilities() throws {
        let responses = try Self.parse(IMAPTranscripts.greeting)
        guard case .untagged(.status(let status)) = responses.first, case .capability(let capabilities)? = status.code else {
            Issue.record("\(responses)")
            return
        }
        #expect(status.kind == .ok && status.text == "Dovecot (Debian) ready.")
        #expect(capabilities.contains("IDLE") && capabilities.contains("AUTH=PLAIN"))
    }

    @Test func aQResyncSelectGivesValidityNextModSequenceVanishedAndChanges() throws {
        let responses = try Self.parse(IMAPTranscripts.selectQResync.joined())
        #expect(responses.contains(.untagged(.exists(172))))
        #expect(responses.contains(.untagged(.status(IMAPStatus(.ok, code: .uidValidity(3_857_529_045), text: "UIDs valid")))))
        #expect(responses.contains(.untagged(.status(IMAPStatus(.ok, code: .highestModSequence(715_194_045_007), text: "Highest")))))
        let vanished = responses.compactMap { response -> UIDSet? in
            if case .untagged(.vanished(true, let set)) = response { return set }
            return nil
        }
        #expect(vanished.first?.description == "41,43:116,118,120:211,214:540")
        #expect(vanished.first?.contains(100) == true && vanished.first?.contains(117) == false)
        var changed = IMAPMessageAttributes()
        changed.uid = 117
        changed.flags = ["\\Seen", "\\Answered"]
        changed.modSequence = 90_060_115_194_045_001
        #expect(responses.contains(.untagged(.fetch(sequence: 49, changed))))
        #expect(responses.last == .tagged(tag: "A02", IMAPStatus(.ok, code: .readWrite, text: "Select completed (0.001 + 0.000 secs).")))
    }

    @Test func aFetchWithEnvelopeAndALiteralPreview() throws {
        let responses = try Self.parse(IMAPTranscripts.fetchEnvelope)
        guard case .untagged(.fetch(12, let message)) = responses.first else {
            Issue.record("\(responses)")
            return
        }
        #expect(message.uid == 4_827_313 && message.size == 4286 && message.modSequence == 12_121_231_000)
        #expect(message.internalDate == "17-Jul-1996 02:44:25 -0700")
        #expect(message.preview == "The minutes of the meeting.")
        let envelope = try #require(message.envelope)
        #expect(envelope.subject == "=?UTF-8?B?SU1BUDRyZXYxIFdHIG1tZWV0aW5n?=")
        #expect(EncodedWords.decode(envelope.subject ?? "") == "IMAP4rev1 WG mmeeting")
        #expect(envelope.from == [IMAPAddress(name: "Terry Gray", mailbox: "gray", host: "cac.washington.edu")])
        #expect(envelope.cc.map(\.address) == ["minutes@CNRI.Reston.VA.US", "KLENSIN@MIT.EDU"])
        #expect(envelope.messageID == "<B27397-0100000@cac.washington.edu>" && envelope.inReplyTo == nil)
    }

    @Test func listingsStatusAndModifiedUTF7Names() throws {
        let responses = try Self.parse(IMAPTranscripts.list.joined())
        #expect(
            responses[2] == .untagged(.list(IMAPMailboxListing(attributes: ["\\HasChildren", "\\Trash"], delimiter: "/", name: "Deleted Items")))
        )
        guard case .untagged(.list(let drafts)) = responses[3], case .untagged(.mailboxStatus(let mailbox, let items)) = responses[4] else {
            Issue.record("\(responses)")
            return
        }
        #expect(ModifiedUTF7.decode(drafts.name) == "Entwürfe" && mailbox == drafts.name)
        #expect(items["UIDVALIDITY"] == 1_700_000_000 && items["HIGHESTMODSEQ"] == 4)
    }

    @Test func whileIdleTheServerTellsOfNewMailExpungesAndFlagChanges() throws {
        let responses = try Self.parse(IMAPTranscripts.idle.joined())
        #expect(responses[0] == .continuation("idling"))
        #expect(responses[1] == .untagged(.exists(173)) && responses[2] == .untagged(.expunge(3)))
        #expect(responses[3] == .untagged(.vanished(earlier: false, UIDSet([4392...4392]))))
    }

    @Test func gmailsExtensions() throws {
        guard case .untagged(.fetch(1, let message)) = try Self.parse(IMAPTranscripts.gmail).first else {
            Issue.record("no fetch")
            return
        }
        #expect(message.gmailMessageID == 1_278_455_344_230_334_865 && message.gmailThreadID == 1_278_455_344_230_334_865)
        #expect(message.gmailLabels == ["\\Inbox", "\\Sent", "Important", "Muy Importante"])
        #expect(message.flags == [] && message.uid == 4)
    }

    @Test func taggedEndingsAndTheirCodes() throws {
        let responses = try Self.parse(IMAPTranscripts.tagged.joined())
        #expect(
            responses[0]
                == .tagged(
                    tag: "A03",
                    IMAPStatus(
                        .ok,
                        code: .copyUID(uidValidity: 38505, source: UIDSet([304...304, 319...320]), destination: UIDSet([3956...3958])),
                        text: "Done"
                    )
                )
        )
        #expect(responses[1] == .tagged(tag: "A04", IMAPStatus(.no, code: .other("AUTHENTICATIONFAILED", ""), text: "Authentication failed.")))
        #expect(responses[3] == .untagged(.status(IMAPStatus(.bye, text: "Server shutting down."))))
        #expect(responses[4] == .untagged(.search([2, 84, 882], modSequence: 917_162_500)))
        #expect(responses[5] == .untagged(.enabled(["CONDSTORE", "QRESYNC"])))
        #expect(responses[6] == .tagged(tag: "A06", IMAPStatus(.ok, code: .appendUID(uidValidity: 38505, uid: 3955), text: "APPEND completed")))
    }

    @Test func aResponseSplitAnywhereIsReadOnceWhole() throws {
        let text = IMAPTranscripts.fetchEnvelope + IMAPTranscripts.tagged[0]
        let whole = try Self.parse(text)
        let bytes = Array(text.utf8)
        let parser = IMAPResponseParser()
        for split in stride(from: 1, to: bytes.count, by: 7) {
            var buffer = Array(bytes[..<split])
            var responses: [IMAPResponse] = []
            while let response = try parser.next(from: &buffer) { responses.append(response) }
            buffer += bytes[split...]
            while let response = try parser.next(from: &buffer) { responses.append(response) }
            #expect(responses == whole, "split at \(split)")
        }
    }

    @Test func limitsRefuseWhatWouldGrowWithoutBound() throws {
        let limits = IMAPLimits(maximumLineLength: 64, maximumLiteralLength: 16, maximumResponseLength: 128, maximumDepth: 4)
        #expect(throws: IMAPParseError.self) { try Self.parse("* OK " + String(repeating: "x", count: 100), limits: limits) }
        #expect(throws: IMAPParseError.self) { try Self.parse("* 1 FETCH (BODY[] {17}\r\n", limits: limits) }
        #expect(throws: IMAPParseError.self) { try Self.parse("* 1 FETCH (BODY[] {99999999999}\r\n", limits: limits) }
        #expect(throws: IMAPParseError.self) { try Self.parse("* 1 FETCH (X ((((((1)))))))\r\n", limits: limits) }
        // An unfinished line under the limit is simply waited for.
        var partial = Array("* OK still com".utf8)
        #expect(try IMAPResponseParser(limits: limits).next(from: &partial) == nil)
    }

    @Test func numbersOutOfRangeAreErrorsNotTraps() throws {
        #expect(throws: IMAPParseError.self) { try Self.parse("* OK [UIDVALIDITY 99999999999] x\r\n") }
        #expect(throws: IMAPParseError.self) { try Self.parse("* OK [HIGHESTMODSEQ 99999999999999999999] x\r\n") }
        #expect(throws: IMAPParseError.self) { try Self.parse("* VANISHED 1:99999999999\r\n") }
        // A sequence number too large to be one is not a number: the response is read as something else, not trusted.
        #expect(try Self.parse("* 99999999999 EXISTS\r\n") == [.untagged(.other("99999999999"))])
    }
}
