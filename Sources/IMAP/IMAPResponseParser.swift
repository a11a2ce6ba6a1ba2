/// Reads server responses from the bytes a connection receives: frames each response (literals included) within the
/// limits, then gives it its meaning. Never traps on what a server sends: anything malformed or too large is an
/// ``IMAPParseError``.
public struct IMAPResponseParser: Sendable {
    private let limits: IMAPLimits

    /// A parser within `limits`.
    public init(limits: IMAPLimits = IMAPLimits()) {
        self.limits = limits
    }

    /// The next complete response at the start of `buffer`, removed from it; `nil` while more bytes are needed.
    public func next(from buffer: inout [UInt8]) throws -> IMAPResponse? {
        guard let length = try IMAPResponseFramer(limits: self.limits).responseLength(in: buffer[...]) else { return nil }
        let bytes = Array(buffer[..<length])
        buffer.removeFirst(length)
        return try self.parse(bytes)
    }

    /// One complete response.
    func parse(_ bytes: [UInt8]) throws -> IMAPResponse {
        var tokens = IMAPTokenizer(bytes, maximumDepth: self.limits.maximumDepth)
        if tokens.take(UInt8(ascii: "+")) {
            return .continuation(tokens.restOfLine())
        }
        if tokens.take(UInt8(ascii: "*")) {
            return .untagged(try Self.untagged(&tokens))
        }
        let tag = try tokens.atom()
        tokens.skipSpaces()
        let keyword = try tokens.atom().uppercased()
        guard let kind = IMAPStatus.Kind(rawValue: keyword) else { throw IMAPParseError("a tagged response with status \(keyword)") }
        return .tagged(tag: tag, try Self.status(kind, &tokens))
    }

    private static func untagged(_ tokens: inout IMAPTokenizer) throws -> UntaggedResponse {
        tokens.skipSpaces()
        let first = try tokens.atom()
        if let number = IMAPValue.atom(first).number {
            tokens.skipSpaces()
            let keyword = try tokens.atom().uppercased()
            switch keyword {
            case "EXISTS": return .exists(number)
            case "RECENT": return .recent(number)
            case "EXPUNGE": return .expunge(number)
            case "FETCH":
                guard case .list(let items) = try tokens.value() else { throw IMAPParseError("FETCH without its list") }
                return .fetch(sequence: number, try Self.attributes(items))
            default: return .other(keyword)
            }
        }
        let keyword = first.uppercased()
        if let kind = IMAPStatus.Kind(rawValue: keyword) {
            return .status(try Self.status(kind, &tokens))
        }
        switch keyword {
        case "CAPABILITY":
            return .capability(try Self.atoms(&tokens).map { $0.uppercased() })
        case "ENABLED":
            return .enabled(try Self.atoms(&tokens).map { $0.uppercased() })
        case "LIST", "LSUB":
            guard let attributes = try tokens.value().items else { throw IMAPParseError("LIST without attributes") }
            let delimiter = try tokens.value()
            guard let name = try tokens.value().text else { throw IMAPParseError("LIST without a name") }
            return .list(IMAPMailboxListing(attributes: attributes.compactMap(\.text), delimiter: delimiter.text, name: name))
        case "STATUS":
            guard let mailbox = try tokens.value().text, let items = try tokens.value().items, items.count % 2 == 0 else {
                throw IMAPParseError("a malformed STATUS")
            }
            var values: [String: UInt64] = [:]
            for pair in stride(from: 0, to: items.count, by: 2) {
                guard let name = items[pair].text, let value = items[pair + 1].modSequence else { throw IMAPParseError("a malformed STATUS item") }
                values[name.uppercased()] = value
            }
            return .mailboxStatus(mailbox: mailbox, values)
        case "SEARCH":
            var numbers: [UInt32] = []
            var modSequence: UInt64?
            while !tokens.atLineEnd {
                let value = try tokens.value()
                if let number = value.number {
                    numbers.append(number)
                } else if let items = value.items, items.count == 2, items[0].text?.uppercased() == "MODSEQ", let sequence = items[1].modSequence {
                    modSequence = sequence
                } else {
                    throw IMAPParseError("a malformed SEARCH")
                }
                tokens.skipSpaces()
            }
            return .search(numbers, modSequence: modSequence)
        case "ESEARCH":
            return try Self.extendedSearch(&tokens)
        case "VANISHED":
            tokens.skipSpaces()
            var earlier = false
            if tokens.peek == UInt8(ascii: "(") {
                guard try tokens.value().items?.first?.text?.uppercased() == "EARLIER" else { throw IMAPParseError("a malformed VANISHED") }
                earlier = true
            }
            tokens.skipSpaces()
            guard let set = UIDSet(try tokens.atom()) else { throw IMAPParseError("a malformed VANISHED set") }
            return .vanished(earlier: earlier, set)
        case "FLAGS":
            guard let flags = try tokens.value().items else { throw IMAPParseError("FLAGS without its list") }
            return .flags(flags.compactMap(\.text))
        default:
            return .other(keyword)
        }
    }

    /// `* ESEARCH [(TAG "…")] [UID] (name value)…` (RFC 4731): the `ALL` set and the `COUNT` when returned.
    private static func extendedSearch(_ tokens: inout IMAPTokenizer) throws -> UntaggedResponse {
        var all: UIDSet?
        var count: UInt32?
        tokens.skipSpaces()
        if tokens.peek == UInt8(ascii: "(") { _ = try tokens.value() }
        tokens.skipSpaces()
        while !tokens.atLineEnd {
            let name = try tokens.atom().uppercased()
            tokens.skipSpaces()
            if name == "UID" { continue }
            let value = try tokens.value()
            switch name {
            case "ALL":
                guard let text = value.text, let set = UIDSet(text) else { throw IMAPParseError("a malformed ESEARCH ALL") }
                all = set
            case "COUNT":
                guard let number = value.number else { throw IMAPParseError("a malformed ESEARCH COUNT") }
                count = number
            default: break
            }
            tokens.skipSpaces()
        }
        return .extendedSearch(all: all, count: count)
    }

    /// The atoms to the end of the line.
    private static func atoms(_ tokens: inout IMAPTokenizer) throws -> [String] {
        var atoms: [String] = []
        tokens.skipSpaces()
        while !tokens.atLineEnd {
            atoms.append(try tokens.atom())
            tokens.skipSpaces()
        }
        return atoms
    }

    private static func status(_ kind: IMAPStatus.Kind, _ tokens: inout IMAPTokenizer) throws -> IMAPStatus {
        tokens.skipSpaces()
        var code: IMAPResponseCode?
        if tokens.peek == UInt8(ascii: "[") {
            let bracketed = try tokens.atom()
            code = try Self.code(String(bracketed.dropFirst().dropLast()))
        }
        return IMAPStatus(kind, code: code, text: tokens.restOfLine())
    }

    private static func code(_ text: String) throws -> IMAPResponseCode {
        let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
        let name = parts.first?.uppercased() ?? ""
        let rest = parts.count > 1 ? parts[1] : ""
        func number() throws -> UInt32 {
            guard let value = IMAPValue.atom(rest).number else { throw IMAPParseError("\(name) without a number") }
            return value
        }
        switch name {
        case "UIDVALIDITY": return .uidValidity(try number())
        case "UIDNEXT": return .uidNext(try number())
        case "HIGHESTMODSEQ":
            guard let value = IMAPValue.atom(rest).modSequence else { throw IMAPParseError("HIGHESTMODSEQ without a number") }
            return .highestModSequence(value)
        case "NOMODSEQ": return .noModSequence
        case "CAPABILITY": return .capability(rest.split(separator: " ").map { $0.uppercased() })
        case "PERMANENTFLAGS":
            return .permanentFlags(rest.filter { $0 != "(" && $0 != ")" }.split(separator: " ").map(String.init))
        case "READ-ONLY": return .readOnly
        case "READ-WRITE": return .readWrite
        case "ALERT": return .alert
        case "COPYUID":
            let fields = rest.split(separator: " ").map(String.init)
            guard fields.count == 3, let validity = IMAPValue.atom(fields[0]).number, let source = UIDSet(fields[1]),
                let destination = UIDSet(fields[2])
            else { throw IMAPParseError("a malformed COPYUID") }
            return .copyUID(uidValidity: validity, source: source, destination: destination)
        case "APPENDUID":
            let fields = rest.split(separator: " ").map(String.init)
            guard fields.count == 2, let validity = IMAPValue.atom(fields[0]).number, let uid = IMAPValue.atom(fields[1]).number else {
                throw IMAPParseError("a malformed APPENDUID")
            }
            return .appendUID(uidValidity: validity, uid: uid)
        default: return .other(name, rest)
        }
    }

    private static func attributes(_ items: [IMAPValue]) throws -> IMAPMessageAttributes {
        guard items.count % 2 == 0 else { throw IMAPParseError("a FETCH list of odd length") }
        var attributes = IMAPMessageAttributes()
        for pair in stride(from: 0, to: items.count, by: 2) {
            guard case .atom(let name) = items[pair] else { throw IMAPParseError("a FETCH item without a name") }
            let value = items[pair + 1]
            let upper = name.uppercased()
            switch upper {
            case "UID": attributes.uid = value.number
            case "FLAGS": attributes.flags = value.items?.compactMap(\.text)
            case "MODSEQ": attributes.modSequence = value.items?.first?.modSequence
            case "INTERNALDATE": attributes.internalDate = value.text
            case "RFC822.SIZE": attributes.size = value.number
            case "ENVELOPE": attributes.envelope = try Self.envelope(value)
            case "PREVIEW": attributes.preview = value.text
            case "X-GM-MSGID": attributes.gmailMessageID = value.modSequence
            case "X-GM-THRID": attributes.gmailThreadID = value.modSequence
            case "X-GM-LABELS": attributes.gmailLabels = value.items?.compactMap(\.text)
            default:
                if upper.hasPrefix("BODY[") || upper.hasPrefix("BINARY[") || upper.hasPrefix("RFC822") {
                    if case .string(let bytes) = value { attributes.sections[upper] = bytes }
                    if case .nil = value { attributes.sections[upper] = [] }
                }
            }
        }
        return attributes
    }

    private static func envelope(_ value: IMAPValue) throws -> IMAPEnvelope {
        guard let fields = value.items, fields.count == 10 else { throw IMAPParseError("an ENVELOPE without its 10 fields") }
        func addresses(_ value: IMAPValue) throws -> [IMAPAddress] {
            guard let list = value.items else { throw IMAPParseError("an ENVELOPE address list that is not a list") }
            return try list.compactMap { address in
                guard let parts = address.items, parts.count == 4 else { throw IMAPParseError("an address without its 4 fields") }
                // A group's start and end (RFC 3501: host NIL) carry no address.
                guard parts[2].text != nil || parts[3].text != nil else { return nil }
                return IMAPAddress(name: parts[0].text, mailbox: parts[2].text, host: parts[3].text)
            }
        }
        return IMAPEnvelope(
            date: fields[0].text,
            subject: fields[1].text,
            from: try addresses(fields[2]),
            sender: try addresses(fields[3]),
            replyTo: try addresses(fields[4]),
            to: try addresses(fields[5]),
            cc: try addresses(fields[6]),
            bcc: try addresses(fields[7]),
            inReplyTo: fields[8].text,
            messageID: fields[9].text
        )
    }
}
