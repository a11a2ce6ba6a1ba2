/// What a sync cursor covers: the folder hierarchy of an account, or the messages of one folder.
public enum SyncScope: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The account's folder hierarchy (Graph's `mailFolders/delta`).
    case folders
    /// The messages of one folder (Graph's `mailFolders/{id}/messages/delta`).
    case mailbox(String)

    /// The stable text form stored by the stores: `folders` or `mailbox:<id>`.
    public var description: String {
        switch self {
        case .folders: "folders"
        case .mailbox(let id): "mailbox:\(id)"
        }
    }

    /// Parses ``description``; `nil` for anything else.
    public init?(_ text: String) {
        if text == "folders" {
            self = .folders
        } else if text.hasPrefix("mailbox:"), text.count > "mailbox:".count {
            self = .mailbox(String(text.dropFirst("mailbox:".count)))
        } else {
            return nil
        }
    }
}
