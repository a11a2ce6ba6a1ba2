/// One token of an IMAP response as the tokenizer reads it, before it is given a meaning: IMAP's data is atoms,
/// numbers, strings (quoted or literal), NIL and parenthesized lists of those.
enum IMAPValue: Sendable, Equatable {
    /// An atom, a number or a flag (`\Seen`), or a fetch item name with its section (`BODY[HEADER]<0>`).
    case atom(String)
    /// A quoted string or a literal, as bytes.
    case string([UInt8])
    /// `NIL`.
    case `nil`
    /// A parenthesized list.
    case list([IMAPValue])

    /// The value as text: an atom, or a string decoded as UTF-8 (invalid sequences replaced); `nil` for NIL and lists.
    var text: String? {
        switch self {
        case .atom(let atom): atom
        case .string(let bytes): String(decoding: bytes, as: UTF8.self)
        case .nil, .list: nil
        }
    }

    /// The value as a list; NIL is an empty one.
    var items: [IMAPValue]? {
        switch self {
        case .list(let items): items
        case .nil: []
        case .atom, .string: nil
        }
    }

    /// The value as an unsigned 32-bit number (a sequence number, a UID, a count), when it is one.
    var number: UInt32? {
        guard case .atom(let atom) = self, !atom.isEmpty, atom.utf8.count <= 10, atom.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            return nil
        }
        return UInt32(atom)
    }

    /// The value as a mod-sequence (RFC 7162: up to 2^63 − 1), when it is one.
    var modSequence: UInt64? {
        guard case .atom(let atom) = self, !atom.isEmpty, atom.utf8.count <= 19, atom.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let value = UInt64(atom), value <= UInt64(Int64.max)
        else { return nil }
        return value
    }
}
