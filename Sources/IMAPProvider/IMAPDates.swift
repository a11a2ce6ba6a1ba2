/// The two date forms IMAP hands a client, read into milliseconds since 1970: INTERNALDATE (`17-Jul-1996 02:44:25
/// -0700`) and the message's own Date header as ENVELOPE carries it (RFC 5322: `Wed, 17 Jul 1996 02:44:25 -0700
/// (PDT)`, with the obsolete forms of §4.3). Anything else is `nil`: never a guess.
enum IMAPDates {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// An INTERNALDATE.
    static func internalDate(_ text: String) -> Int64? {
        let fields = text.split(separator: " ")
        guard fields.count == 3 else { return nil }
        let day = fields[0].split(separator: "-")
        guard day.count == 3 else { return nil }
        return Self.milliseconds(day: day[0], month: day[1], year: day[2], time: fields[1], zone: fields[2])
    }

    /// A Date header's value.
    static func headerDate(_ text: String) -> Int64? {
        // Comments, such as the zone's name, are dropped; a day of the week is read past.
        var plain = ""
        var depth = 0
        for character in text {
            if character == "(" {
                depth += 1
            } else if character == ")" {
                depth = max(0, depth - 1)
            } else if depth == 0 {
                plain.append(character)
            }
        }
        var fields = plain.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" })
        if let first = fields.first, first.hasSuffix(",") || first.allSatisfy(\.isLetter) { fields.removeFirst() }
        if let first = fields.first, first.contains(",") {
            fields[0] = first.split(separator: ",").last ?? first
        }
        guard fields.count >= 4 else { return nil }
        return Self.milliseconds(day: fields[0], month: fields[1], year: fields[2], time: fields[3], zone: fields.count > 4 ? fields[4] : "+0000")
    }

    private static func milliseconds(day: Substring, month: Substring, year: Substring, time: Substring, zone: Substring) -> Int64? {
        guard let day = Int(day), (1...31).contains(day), let month = Self.months.firstIndex(of: month.lowercased()),
            var year = Int(year), year >= 0, year <= 9_999
        else { return nil }
        // RFC 5322 §4.3: two-digit years from 50 are of the 1900s, below of the 2000s.
        if year < 50 { year += 2_000 } else if year < 1_000 { year += 1_900 }
        let clock = time.split(separator: ":")
        guard (2...3).contains(clock.count), let hour = Int(clock[0]), let minute = Int(clock[1]), (0...23).contains(hour),
            (0...59).contains(minute)
        else { return nil }
        let second = clock.count == 3 ? Int(clock[2]) : 0
        guard let second, (0...60).contains(second), let offset = Self.zoneOffsetSeconds(zone) else { return nil }
        let days = Self.daysSince1970(year: year, month: month + 1, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3_600 + minute * 60 + second) - Int64(offset)
        return seconds * 1_000
    }

    /// `+hhmm`/`-hhmm`, or an obsolete zone name; unknown names count as UTC, as RFC 5322 §4.3 says.
    private static func zoneOffsetSeconds(_ zone: Substring) -> Int? {
        if let sign = zone.first, sign == "+" || sign == "-" {
            let digits = zone.dropFirst()
            guard digits.count == 4, let value = Int(digits) else { return nil }
            let seconds = (value / 100) * 3_600 + (value % 100) * 60
            return sign == "-" ? -seconds : seconds
        }
        let named: [String: Int] = ["EDT": -4, "EST": -5, "CDT": -5, "CST": -6, "MDT": -6, "MST": -7, "PDT": -7, "PST": -8]
        return (named[zone.uppercased()] ?? 0) * 3_600
    }

    /// Days from 1970-01-01 to a date of the proleptic Gregorian calendar.
    private static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let shifted = month <= 2 ? year - 1 : year
        let era = (shifted >= 0 ? shifted : shifted - 399) / 400
        let yearOfEra = shifted - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
