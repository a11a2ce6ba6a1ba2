/// The importance the sender gave a message.
public enum Importance: String, Sendable, Codable, CaseIterable {
    case low
    case normal
    case high
}
