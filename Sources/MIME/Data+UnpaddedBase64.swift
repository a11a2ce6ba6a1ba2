package import Foundation

extension Data {
    /// Base64 whose `=` padding was left off (as modified UTF-7 and encoded words write it); `nil` when it is not base64.
    package init?(unpaddedBase64 text: String) {
        self.init(base64Encoded: text + String(repeating: "=", count: (4 - text.count % 4) % 4))
    }
}
