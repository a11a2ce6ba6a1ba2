internal import Foundation
internal import HTTPTransport
internal import MIME

/// A folder's id in the mirror: its name as people read it (UTF-8), in URL-safe base64. IMAP servers without OBJECTID
/// know folders only by name, so a renamed folder is a new folder (its messages move with it as new messages).
enum IMAPFolderID {
    /// The id of the folder named `name`.
    static func of(_ name: String) -> String {
        Base64URL.encode(Data(name.utf8))
    }

    /// The folder name an id stands for; `nil` when `id` is not one.
    static func name(of id: String) -> String? {
        guard !id.isEmpty, id.utf8.count <= 4_096 else { return nil }
        let text = id.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard let data = Data(unpaddedBase64: text), let name = String(data: data, encoding: .utf8), Self.of(name) == id else { return nil }
        return name
    }
}
