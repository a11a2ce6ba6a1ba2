package import Foundation

/// A moment's fields in UTC as mail's date formats spell them (RFC 5322's Date, IMAP's INTERNALDATE): English day
/// and month abbreviations, the time as `HH:MM:SS`.
package struct UTCDateFields {
    package let weekday: String
    package let day: Int
    package let month: String
    package let year: Int
    package let time: String

    /// The fields of `date`.
    package init(_ date: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let two = { (value: Int?) in String(format: "%02d", value ?? 0) }
        self.weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][(parts.weekday ?? 1) - 1]
        self.day = parts.day ?? 1
        self.month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][(parts.month ?? 1) - 1]
        self.year = parts.year ?? 1970
        self.time = "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second))"
    }
}
