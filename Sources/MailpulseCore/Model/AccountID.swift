public import Foundation

/// The local identifier of a Mailpulse account: every mailbox, message and event carries it.
public struct AccountID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The UUID behind the identifier.
    public let rawValue: UUID

    /// Wraps an existing UUID.
    public init(_ rawValue: UUID) {
        self.rawValue = rawValue
    }

    /// Parses the canonical UUID text form; `nil` when the text is not a UUID.
    public init?(_ text: String) {
        guard let uuid = UUID(uuidString: text) else { return nil }
        self.rawValue = uuid
    }

    /// A new random identifier.
    public static func random() -> AccountID {
        AccountID(UUID())
    }

    /// The lowercase UUID text used in URLs, keys and document ids.
    public var description: String {
        self.rawValue.uuidString.lowercased()
    }

    /// The 32 lowercase hex digits without hyphens: for names that allow only letters and digits (cookie names,
    /// full-text tokens).
    public var compactText: String {
        self.description.replacingOccurrences(of: "-", with: "")
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = AccountID(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a UUID: \(text)"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.description)
    }
}
