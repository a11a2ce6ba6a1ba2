/// A mailbox address with its display name (RFC 5322 §3.4): `Ada Lovelace <ada@example.com>`.
public struct MIMEAddress: Sendable, Hashable, CustomStringConvertible {
    /// The display name as people read it (encoded words decoded); `nil` when there is none.
    public var name: String?
    /// The address (`local@domain`).
    public var address: String

    /// An address with an optional display name.
    public init(name: String? = nil, address: String) {
        self.name = name
        self.address = address
    }

    public var description: String {
        self.name.map { "\($0) <\(self.address)>" } ?? self.address
    }

    /// The addresses of an address-list header value (To, Cc, Reply-To…): groups opened up, comments dropped, display
    /// names unquoted and their encoded words decoded. What holds no `@` is skipped.
    public static func list(_ value: String) -> [MIMEAddress] {
        var addresses: [MIMEAddress] = []
        for item in Self.items(value) {
            var text = Substring(item)
            // A group: `Friends: a@b, c@d;`, whose name is no address.
            if let colon = Self.unquotedIndex(of: ":", in: text) { text = text[text.index(after: colon)...] }
            let entry = String(text).trimmingSpaces
            if let open = Self.unquotedIndex(of: "<", in: entry), let close = entry[open...].firstIndex(of: ">") {
                let address = String(entry[entry.index(after: open)..<close]).trimmingSpaces
                let rawName = String(entry[..<open]).trimmingSpaces
                let name = Self.displayName(String(rawName))
                guard address.contains("@") else { continue }
                addresses.append(MIMEAddress(name: name.isEmpty ? nil : name, address: String(address)))
            } else {
                let withoutComment = Self.withoutComments(String(entry))
                guard withoutComment.contains("@") else { continue }
                addresses.append(MIMEAddress(address: String(withoutComment.trimmingSpaces)))
            }
        }
        return addresses
    }

    /// The items between commas outside quotes, angle brackets and comments, a group's `;` ending one too.
    private static func items(_ value: String) -> [String] {
        var items: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        var angle = false
        var comment = 0
        for character in value {
            if escaped {
                escaped = false
            } else if character == "\\" && (quoted || comment > 0) {
                escaped = true
            } else if character == "\"" && comment == 0 {
                quoted.toggle()
            } else if !quoted {
                if character == "(" { comment += 1 }
                if character == ")" && comment > 0 { comment -= 1 }
                if character == "<" && comment == 0 { angle = true }
                if character == ">" && comment == 0 { angle = false }
                if (character == "," || character == ";") && !angle && comment == 0 {
                    items.append(current)
                    current = ""
                    continue
                }
            }
            current.append(character)
        }
        items.append(current)
        return items.filter { !$0.trimmingSpaces.isEmpty }
    }

    /// Where `character` first occurs outside a quoted string.
    private static func unquotedIndex(of character: Character, in text: some StringProtocol) -> String.Index? {
        var quoted = false
        var escaped = false
        var index = text.startIndex
        while index < text.endIndex {
            let current = text[index]
            if escaped {
                escaped = false
            } else if current == "\\" && quoted {
                escaped = true
            } else if current == "\"" {
                quoted.toggle()
            } else if current == character && !quoted {
                return index
            }
            index = text.index(after: index)
        }
        return nil
    }

    /// A display name unquoted (quoted-pairs undone), encoded words decoded, comments dropped.
    private static func displayName(_ raw: String) -> String {
        var result = ""
        var quoted = false
        var escaped = false
        var comment = 0
        var pieces: [(String, Bool)] = []
        for character in raw {
            if escaped {
                result.append(character)
                escaped = false
            } else if character == "\\" && quoted {
                escaped = true
            } else if character == "\"" && comment == 0 {
                if !result.isEmpty { pieces.append((result, quoted)) }
                result = ""
                quoted.toggle()
            } else if !quoted && character == "(" {
                comment += 1
            } else if !quoted && character == ")" && comment > 0 {
                comment -= 1
            } else if comment == 0 {
                result.append(character)
            }
        }
        if !result.isEmpty { pieces.append((result, quoted)) }
        // Encoded words in quotes are not to be decoded (RFC 2047 §5), but senders do it: decode them too.
        return String(EncodedWords.decode(pieces.map(\.0).joined()).trimmingSpaces)
    }

    private static func withoutComments(_ text: String) -> String {
        var result = ""
        var comment = 0
        for character in text {
            if character == "(" {
                comment += 1
            } else if character == ")" && comment > 0 {
                comment -= 1
            } else if comment == 0 {
                result.append(character)
            }
        }
        return result
    }
}
