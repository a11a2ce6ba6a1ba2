import Testing

@testable import IMAPProvider

@Suite("IMAP ids and cursors")
struct IMAPIdentityTests {
    @Test("A folder id is URL-safe and gives its name back", arguments: ["INBOX", "Archive/2024", "Entwürfe", "a b+c/d?e", "日本語"])
    func folderIDs(_ name: String) throws {
        let id = IMAPFolderID.of(name)
        #expect(id.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        #expect(IMAPFolderID.name(of: id) == name)
    }

    @Test("Ids that no folder has are nil", arguments: ["", "!!", "a.b", String(repeating: "A", count: 5_000)])
    func foreignFolderIDs(_ id: String) {
        #expect(IMAPFolderID.name(of: id) == nil)
    }

    @Test("A message id names folder, UIDVALIDITY and UID, and reads back")
    func messageIDs() throws {
        let id = IMAPMessageID(folderID: IMAPFolderID.of("Sent"), uidValidity: 1_700_000_000, uid: 42)
        #expect(IMAPMessageID(id.description) == id)
        #expect(IMAPMessageID("AAMkAGI2TG93AAA=") == nil)
        #expect(IMAPMessageID("x.1.0") == nil)
        #expect(IMAPMessageID("x.99999999999.1") == nil)
    }

    @Test("A cursor keeps its UIDs as ranges and reads back; others are nil")
    func cursors() throws {
        let uids: [UInt32] = [1, 2, 3, 7, 9, 10]
        let cursor = IMAPSyncCursor(uidValidity: 5, modSequence: 77, uids: uids, below: 7)
        #expect(cursor.known == "1:3,7,9:10")
        let read = try #require(IMAPSyncCursor(text: cursor.text))
        #expect(read == cursor)
        #expect(read.uids == uids)
        #expect(IMAPSyncCursor(text: "https://graph.microsoft.com/v1.0/me/delta?$deltatoken=x") == nil)
        #expect(IMAPSyncCursor(text: "imap1:{\"v\":1,\"m\":0,\"k\":\"1:*\"}") == nil)
        #expect(IMAPSyncCursor(uidValidity: 1, modSequence: 0, uids: [], below: nil).uids.isEmpty)
    }
}
