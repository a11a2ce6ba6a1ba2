/// A command as the client sends it: text, and literals for strings that cannot be quoted (RFC 3501 §4.3). A literal
/// goes either synchronizing (`{n}`: the client waits for the server's `+` before the bytes) or, where the server
/// announced LITERAL+ or LITERAL- (RFC 7888), non-synchronizing (`{n+}`: the bytes follow at once).
struct IMAPCommand: Sendable, Equatable {
    /// One piece of a command.
    enum Part: Sendable, Equatable {
        /// Text sent as it is.
        case text(String)
        /// Bytes sent as a literal.
        case literal([UInt8])
    }

    /// How literals may be sent to a server.
    enum LiteralForm: Sendable, Equatable {
        /// `{n}`, then wait for the continuation (every server).
        case synchronizing
        /// `{n+}` without waiting, for literals of at most `maximumLength` bytes (`nil`: any); larger ones synchronize.
        case nonSynchronizing(maximumLength: Int?)

        /// What a server with these capabilities accepts: LITERAL+ any length, LITERAL- up to 4,096 bytes.
        init(capabilities: Set<String>) {
            if capabilities.contains("LITERAL+") {
                self = .nonSynchronizing(maximumLength: nil)
            } else if capabilities.contains("LITERAL-") {
                self = .nonSynchronizing(maximumLength: 4096)
            } else {
                self = .synchronizing
            }
        }
    }

    /// Strings longer than this go as literals even when they could be quoted: servers limit their line length.
    static let longestQuotedString = 1000

    /// The pieces, in order.
    private(set) var parts: [Part]

    /// A command beginning with `text` (the command name and any arguments that need no quoting).
    init(_ text: String) {
        self.parts = [.text(text)]
    }

    /// Appends text as it is.
    mutating func append(_ text: String) {
        self.parts.append(.text(text))
    }

    /// Appends bytes as a literal.
    mutating func append(literal bytes: [UInt8]) {
        self.parts.append(.literal(bytes))
    }

    /// Appends a string argument: quoted when it is short 7-bit text without line breaks, else a literal. NUL cannot
    /// be sent either way.
    mutating func append(string value: String) throws {
        let bytes = Array(value.utf8)
        guard !bytes.contains(0) else { throw IMAPError.invalidArgument("a string with NUL cannot be sent") }
        if bytes.count <= Self.longestQuotedString, let quoted = try? IMAPConnection.quoted(value) {
            self.append(quoted)
        } else {
            self.append(literal: bytes)
        }
    }

    /// The bytes to send after `tag` and a space, ending with CR LF, cut where the server's `+` continuation must be
    /// awaited: send the first piece, then each next one after a continuation.
    func pieces(tag: String, literals: LiteralForm) -> [[UInt8]] {
        var pieces: [[UInt8]] = []
        var current = Array("\(tag) ".utf8)
        for part in self.parts {
            switch part {
            case .text(let text):
                current += Array(text.utf8)
            case .literal(let bytes):
                if case .nonSynchronizing(let maximumLength) = literals, bytes.count <= maximumLength ?? Int.max {
                    current += Array("{\(bytes.count)+}\r\n".utf8) + bytes
                } else {
                    current += Array("{\(bytes.count)}\r\n".utf8)
                    pieces.append(current)
                    current = bytes
                }
            }
        }
        pieces.append(current + Array("\r\n".utf8))
        return pieces
    }
}
