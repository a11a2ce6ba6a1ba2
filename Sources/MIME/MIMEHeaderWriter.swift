internal import Foundation

/// Writes header fields: values checked for what would inject a header (CR, LF, NUL), non-ASCII text as encoded
/// words, lines folded at spaces to stay within 78 characters.
struct MIMEHeaderWriter {
    /// The fields so far, each ending in CR LF.
    private(set) var bytes: [UInt8] = []

    /// An unstructured field (Subject, an extra header): encoded words when it is not printable ASCII in words that fit
    /// a line.
    mutating func text(_ name: String, _ value: String) throws {
        try Self.check(name: name, value: value)
        let words = value.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        let plain =
            value.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F } && words.allSatisfy { $0.utf8.count <= 70 }
            && !value.contains("=?")
        self.fold(name, plain ? words : EncodedWords.encode(value))
    }

    /// A structured field (Date, Message-ID, References): printable ASCII, folded at its spaces.
    mutating func structured(_ name: String, _ value: String) throws {
        try Self.check(name: name, value: value)
        guard value.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { throw MIMEError.invalidHeaderValue(field: name) }
        self.fold(name, value.split(separator: " ").map(String.init))
    }

    /// An address list: display names quoted or encoded as needed, one address per piece a line may break after.
    mutating func addresses(_ name: String, _ addresses: [MIMEAddress]) throws {
        var pieces: [String] = []
        for (index, address) in addresses.enumerated() {
            try Self.check(name: name, value: address.address + (address.name ?? ""))
            let bare = address.address
            let isASCII = bare.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") }
            let parts = bare.split(separator: "@", omittingEmptySubsequences: false)
            guard isASCII, parts.count >= 2, !parts[0].isEmpty, !(parts.last ?? "").isEmpty else { throw MIMEError.invalidAddress(bare) }
            var words: [String] = []
            if let displayName = address.name, !displayName.isEmpty {
                words = Self.phrase(displayName)
                words.append("<\(bare)>")
            } else {
                words = [bare]
            }
            if index < addresses.count - 1 { words[words.count - 1] += "," }
            pieces += words
        }
        self.fold(name, pieces)
    }

    /// A display name as words: as it is when it is atoms, quoted when it holds specials, encoded when not ASCII.
    private static func phrase(_ name: String) -> [String] {
        guard name.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return EncodedWords.encode(name) }
        let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~ ".utf8)
        if name.utf8.allSatisfy(atext.contains), !name.contains("=?"), !name.hasPrefix(" "), !name.hasSuffix(" ") {
            return name.split(separator: " ").map(String.init)
        }
        let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        // A quoted string folds at its spaces too (the fold's space stays in it).
        return ["\"\(escaped)\""].flatMap { $0.utf8.count <= 70 ? [$0] : $0.split(separator: " ").map(String.init) }
    }

    /// `name: ` and the words, a line break and a space before a word that would take the line past 78 characters.
    private mutating func fold(_ name: String, _ words: [String]) {
        var line = "\(name):"
        var text = ""
        for word in words {
            // Folding right after the colon is allowed too (RFC 5322's FWS): a long name's first word may need it.
            if line.utf8.count + 1 + word.utf8.count > 78, !line.isEmpty {
                text += line + "\r\n"
                line = ""
            }
            line += " " + word
        }
        text += line + "\r\n"
        self.bytes += Array(text.utf8)
    }

    /// Refuses a name that is not printable ASCII without `:`, and CR, LF or NUL in a value.
    private static func check(name: String, value: String) throws {
        guard !name.isEmpty, name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") }) else {
            throw MIMEError.invalidHeaderName(name)
        }
        guard Self.isSafe(value) else { throw MIMEError.lineBreakInHeader(field: name) }
    }

    /// Whether `value` holds no CR, LF or NUL.
    static func isSafe(_ value: String) -> Bool {
        !value.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0 }
    }

    /// A parameter of Content-Type or Content-Disposition, on lines of its own starting with a space: quoted when it is
    /// short printable ASCII, else RFC 2231's `name*0*=utf-8''…` in sections that keep each line within 78 characters.
    static func parameter(_ name: String, _ value: String) -> String {
        let clean = value.filter { !$0.isNewline && $0 != "\0" }
        if clean.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }),
            clean.utf8.count + name.utf8.count < 70
        {
            return " \(name)=\"\(clean)\""
        }
        let unreserved = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!~".utf8)
        let digits = Array("0123456789ABCDEF")
        let encoded: [String] = clean.utf8.map { byte in
            unreserved.contains(byte) ? String(UnicodeScalar(byte)) : "%\(digits[Int(byte >> 4)])\(digits[Int(byte & 15)])"
        }
        var sections: [String] = []
        var current = ""
        for piece in encoded {
            if current.utf8.count + piece.utf8.count > 45 {
                sections.append(current)
                current = ""
            }
            current += piece
        }
        sections.append(current)
        return sections.enumerated().map { index, section in
            " \(name)*\(index)*=\(index == 0 ? "utf-8''" : "")\(section)"
        }.joined(separator: ";\r\n")
    }
}
