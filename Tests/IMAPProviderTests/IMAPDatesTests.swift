import Testing

@testable import IMAPProvider

@Suite("IMAP dates")
struct IMAPDatesTests {
    @Test("INTERNALDATE with its zone, and a space-padded day")
    func internalDates() {
        #expect(IMAPDates.internalDate("17-Jul-1996 02:44:25 -0700") == 837_596_665_000)
        #expect(IMAPDates.internalDate(" 1-Jan-1970 00:00:00 +0000") == 0)
        #expect(IMAPDates.internalDate("29-Feb-2024 12:00:00 +0100") == 1_709_204_400_000)
    }

    @Test("Date headers: day names, comments, two-digit years, obsolete zones, no seconds")
    func headerDates() {
        #expect(IMAPDates.headerDate("Wed, 17 Jul 1996 02:44:25 -0700 (PDT)") == 837_596_665_000)
        #expect(IMAPDates.headerDate("17 Jul 96 02:44:25 PDT") == 837_596_665_000)
        #expect(IMAPDates.headerDate("Wed,17 Jul 1996 09:44 GMT") == 837_596_640_000)
    }

    @Test(
        "Anything else is nil, never a guess",
        arguments: [
            "", "yesterday", "32-Jan-2020 00:00:00 +0000", "1-Foo-2020 00:00:00 +0000",
            "1-Jan-2020 25:00:00 +0000", "1-Jan-2020 00:00:00 +07", "Mon, 1 Jan 2020",
        ]
    )
    func refusesNonsense(_ text: String) {
        #expect(IMAPDates.internalDate(text) == nil)
        #expect(IMAPDates.headerDate(text) == nil)
    }
}
