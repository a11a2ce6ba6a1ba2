internal import Foundation

/// Text from bytes in a MIME charset (RFC 2045's `charset` parameter, RFC 2047's encoded words): UTF-8, US-ASCII,
/// ISO-8859-1, Windows-1252 and a few others Foundation reads.
public enum MIMECharset {
    /// The text, or `nil` when the charset is not one of those known (or the bytes are not in it, for Foundation's).
    public static func decode(_ bytes: some Collection<UInt8>, charset: String) -> String? {
        switch Self.normalized(charset) {
        case "utf-8", "utf8", "us-ascii", "ascii", "ansi_x3.4-1968", "":
            return String(decoding: bytes, as: UTF8.self)
        case "iso-8859-1", "latin1", "iso_8859-1", "l1":
            return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        case "windows-1252", "cp1252", "x-cp1252":
            return String(String.UnicodeScalarView(bytes.map(Self.windows1252)))
        case "iso-8859-15", "latin9":
            return String(data: Data(bytes), encoding: .isoLatin1).map(Self.latin9)
        case "iso-8859-2", "latin2":
            return String(data: Data(bytes), encoding: .isoLatin2)
        case "utf-16":
            return String(data: Data(bytes), encoding: .utf16)
        default:
            return nil
        }
    }

    /// The text in `charset`, else read as UTF-8 with unreadable bytes replaced: for bodies, which must show something.
    public static func text(_ bytes: some Collection<UInt8>, charset: String) -> String {
        Self.decode(bytes, charset: charset) ?? String(decoding: bytes, as: UTF8.self)
    }

    /// The charset's name lowercased, without quotes, a language tag (RFC 2231 `utf-8*en`) or spaces.
    private static func normalized(_ charset: String) -> String {
        let name = charset.trimmingCharacters(in: CharacterSet(charactersIn: "\" \t")).lowercased()
        return name.split(separator: "*", omittingEmptySubsequences: false).first.map(String.init) ?? name
    }

    /// Windows-1252's 0x80–0x9F, where it differs from ISO-8859-1 (the five it leaves undefined stay as they are).
    private static let windows1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    private static func windows1252(_ byte: UInt8) -> Unicode.Scalar {
        guard (0x80...0x9F).contains(byte) else { return Unicode.Scalar(byte) }
        return Unicode.Scalar(Self.windows1252High[Int(byte) - 0x80]) ?? Unicode.Scalar(byte)
    }

    /// ISO-8859-15 read as ISO-8859-1, its eight different letters put right.
    private static func latin9(_ text: String) -> String {
        let changes: [Character: Character] = [
            "\u{A4}": "€", "\u{A6}": "Š", "\u{A8}": "š", "\u{B4}": "Ž", "\u{B8}": "ž", "\u{BC}": "Œ", "\u{BD}": "œ", "\u{BE}": "Ÿ",
        ]
        return String(text.map { changes[$0] ?? $0 })
    }
}
