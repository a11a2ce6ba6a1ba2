/// Graph's `recipient`: `{"emailAddress": {"name", "address"}}`.
struct Recipient: Sendable, Equatable {
    var name: String
    var address: String

    var json: JSONValue {
        .object([("emailAddress", .object([("name", .string(self.name)), ("address", .string(self.address))]))])
    }

    /// Whether the address has the shape Exchange resolves: one `@` between a local part and a domain, no spaces or
    /// address punctuation, at most 320 characters.
    var isWellFormed: Bool {
        let parts = self.address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, self.address.count <= 320 else { return false }
        return !self.address.contains { $0.isWhitespace || "<>(),;:\"[]\\".contains($0) }
            && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
    }

    /// Whether two recipients are the same mailbox (addresses compare case-insensitively).
    func isSameAddress(_ other: String) -> Bool {
        self.address.lowercased() == other.lowercased()
    }
}
