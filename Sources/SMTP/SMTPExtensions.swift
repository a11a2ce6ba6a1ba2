/// What a server announced in its EHLO reply (RFC 5321 §4.1.1.1): each extension's keyword, uppercased, with its
/// parameters.
public struct SMTPExtensions: Sendable, Equatable {
    /// The parameters of each extension by keyword (`SIZE` → `["35882577"]`, `AUTH` → `["PLAIN", "LOGIN"]`).
    public var keywords: [String: [String]]

    /// Reads an EHLO reply: its first line greets, each other names an extension.
    public init(ehlo reply: SMTPReply) {
        var keywords: [String: [String]] = [:]
        for line in reply.lines.dropFirst() {
            let words = line.split(separator: " ").map(String.init)
            guard let keyword = words.first?.uppercased() else { continue }
            keywords[keyword] = Array(words.dropFirst())
        }
        self.keywords = keywords
    }

    /// Extensions by keyword.
    public init(keywords: [String: [String]] = [:]) {
        self.keywords = keywords
    }

    /// Whether the server offers `keyword` (any case).
    public func contains(_ keyword: String) -> Bool {
        self.keywords[keyword.uppercased()] != nil
    }

    /// SIZE's limit in bytes (RFC 1870); `nil` when not announced, or announced as 0 (no fixed limit).
    public var maximumSize: Int? {
        guard let value = self.keywords["SIZE"]?.first.flatMap({ Int($0) }), value > 0 else { return nil }
        return value
    }

    /// The SASL mechanisms AUTH offers (RFC 4954), uppercased.
    public var authenticationMechanisms: Set<String> {
        Set((self.keywords["AUTH"] ?? []).map { $0.uppercased() })
    }
}
