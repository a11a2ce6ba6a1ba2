/// The follow-up flag of a message.
public enum FlagStatus: String, Sendable, Codable, CaseIterable {
    case notFlagged
    case flagged
    case complete
}
