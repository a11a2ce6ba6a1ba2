/// A name and address pair, as in a message's from, sender and recipient fields.
public struct EmailAddress: Sendable, Equatable, Codable {
    /// The display name; may be empty.
    public var name: String
    /// The address.
    public var address: String

    /// Creates an address.
    public init(name: String, address: String) {
        self.name = name
        self.address = address
    }
}
