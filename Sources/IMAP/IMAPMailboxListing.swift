/// One mailbox of a LIST response.
public struct IMAPMailboxListing: Sendable, Equatable {
    /// Its attributes (`\HasChildren`, `\Noselect`, and SPECIAL-USE's `\Sent`, `\Trash`, `\Junk`, `\All`, …).
    public var attributes: [String]
    /// The hierarchy delimiter, if the server has one.
    public var delimiter: String?
    /// The name as sent (modified UTF-7; ``ModifiedUTF7`` decodes it).
    public var name: String

    /// Creates a listing.
    public init(attributes: [String], delimiter: String?, name: String) {
        self.attributes = attributes
        self.delimiter = delimiter
        self.name = name
    }

    /// The name as people read it: ``name`` decoded from modified UTF-7 (as sent, when it is not valid modified UTF-7).
    public var decodedName: String {
        ModifiedUTF7.decode(self.name) ?? self.name
    }

    /// Whether the mailbox can hold messages (not a hierarchy's placeholder: `\Noselect`, `\NonExistent`).
    public var isSelectable: Bool {
        !self.attributes.contains { ["\\noselect", "\\nonexistent"].contains($0.lowercased()) }
    }
}
