/// Reads the tokens of one complete response (its literals included): atoms, quoted strings, literals, NIL and
/// lists, nested no deeper than the limits allow. Every read checks the bounds; nothing is trusted.
struct IMAPTokenizer {
    private let bytes: [UInt8]
    private let maximumDepth: Int
    private(set) var index = 0

    init(_ bytes: [UInt8], maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    /// Whether only the line end (or nothing) is left.
    var atLineEnd: Bool {
        self.index >= self.bytes.count || self.bytes[self.index] == 0x0D || self.bytes[self.index] == 0x0A
    }

    /// The next byte, if any.
    var peek: UInt8? { self.index < self.bytes.count ? self.bytes[self.index] : nil }

    /// Skips the spaces before the next token.
    mutating func skipSpaces() {
        while self.peek == 0x20 { self.index += 1 }
    }

    /// Consumes `byte` when it comes next; answers whether it did.
    mutating func take(_ byte: UInt8) -> Bool {
        guard self.peek == byte else { return false }
        self.index += 1
        return true
    }

    /// The rest of the line, as text (a response's human-readable part).
    mutating func restOfLine() -> String {
        self.skipSpaces()
        var end = self.index
        while end < self.bytes.count, self.bytes[end] != 0x0D, self.bytes[end] != 0x0A { end += 1 }
        defer { self.index = end }
        return String(decoding: self.bytes[self.index..<end], as: UTF8.self)
    }

    /// The next value.
    mutating func value(depth: Int = 0) throws -> IMAPValue {
        self.skipSpaces()
        guard let first = self.peek, !self.atLineEnd else { throw IMAPParseError("a value was expected at byte \(self.index)") }
        switch first {
        case UInt8(ascii: "("):
            guard depth < self.maximumDepth else { throw IMAPParseError("lists nested deeper than \(self.maximumDepth)") }
            self.index += 1
            var items: [IMAPValue] = []
            while true {
                self.skipSpaces()
                if self.take(UInt8(ascii: ")")) { return .list(items) }
                if self.atLineEnd { throw IMAPParseError("an unclosed list") }
                items.append(try self.value(depth: depth + 1))
            }
        case UInt8(ascii: "\""):
            return .string(try self.quoted())
        case UInt8(ascii: "{"):
            return .string(try self.literal())
        case UInt8(ascii: ")"):
            throw IMAPParseError("an unexpected ')' at byte \(self.index)")
        default:
            let atom = try self.atom()
            return atom.uppercased() == "NIL" ? .nil : .atom(atom)
        }
    }

    /// An atom: up to a space, a parenthesis or the line end; a `[` takes everything to its `]` (response codes and
    /// fetch sections such as `BODY[HEADER.FIELDS (SUBJECT)]<0>` hold spaces and parentheses).
    mutating func atom() throws -> String {
        let start = self.index
        while let byte = self.peek, byte != 0x20, byte != 0x0D, byte != 0x0A, byte != UInt8(ascii: "("), byte != UInt8(ascii: ")"),
            byte != UInt8(ascii: "\""), byte != UInt8(ascii: "{")
        {
            self.index += 1
            if byte == UInt8(ascii: "[") {
                guard let close = self.bytes[self.index...].firstIndex(of: UInt8(ascii: "]")) else {
                    throw IMAPParseError("an unclosed '[' at byte \(self.index - 1)")
                }
                self.index = close + 1
            }
        }
        guard self.index > start else { throw IMAPParseError("an empty atom at byte \(start)") }
        return String(decoding: self.bytes[start..<self.index], as: UTF8.self)
    }

    private mutating func quoted() throws -> [UInt8] {
        self.index += 1
        var result: [UInt8] = []
        while let byte = self.peek {
            self.index += 1
            switch byte {
            case UInt8(ascii: "\""): return result
            case UInt8(ascii: "\\"):
                guard let escaped = self.peek else { break }
                self.index += 1
                result.append(escaped)
            case 0x0D, 0x0A: throw IMAPParseError("a line end inside a quoted string")
            default: result.append(byte)
            }
        }
        throw IMAPParseError("an unclosed quoted string")
    }

    private mutating func literal() throws -> [UInt8] {
        guard let close = self.bytes[self.index...].firstIndex(of: UInt8(ascii: "}")) else { throw IMAPParseError("an unclosed literal length") }
        guard let length = IMAPResponseFramer.announcedLength(self.bytes[(self.index + 1)..<close]) else {
            throw IMAPParseError("a malformed literal length")
        }
        var start = close + 1
        if start < self.bytes.count, self.bytes[start] == 0x0D { start += 1 }
        guard start < self.bytes.count, self.bytes[start] == 0x0A else { throw IMAPParseError("a literal length not at a line end") }
        start += 1
        guard length <= self.bytes.count - start else { throw IMAPParseError("a literal shorter than announced") }
        self.index = start + length
        return Array(self.bytes[start..<(start + length)])
    }
}
