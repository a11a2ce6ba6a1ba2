internal import Foundation

/// Graph's UTC timestamps: `2021-12-30T10:53:35Z`.
enum GraphDate {
    static func format(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .omitted))
    }

    static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

extension GraphDate {
    /// With seven fractional digits, as Graph writes subscription expirations: `2016-11-20T18:23:45.9356913Z`.
    static func formatPrecise(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        let fraction = Int(((date.timeIntervalSince1970 - seconds) * 10_000_000).rounded(.down))
        let base = Self.format(Date(timeIntervalSince1970: seconds)).dropLast()
        return "\(base).\(String(format: "%07d", fraction))Z"
    }
}
