internal import Foundation

/// An error answer of Elasticsearch: `{"error":{"type","reason",…},"status":N}`.
struct ElasticsearchError: Error, Equatable, CustomStringConvertible {
    /// The HTTP status.
    var status: Int
    /// The error's type, such as `index_not_found_exception`.
    var type: String
    /// The error's reason.
    var reason: String

    var description: String { "Elasticsearch \(self.status) \(self.type): \(self.reason)" }

    /// Reads an error body; a body of another shape keeps its first characters as the reason.
    init(status: Int, body: Data) {
        self.status = status
        let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        if let error = object?["error"] as? [String: Any] {
            self.type = error["type"] as? String ?? "unknown"
            self.reason = error["reason"] as? String ?? ""
        } else {
            self.type = (object?["error"] as? String) ?? "unknown"
            self.reason = String(decoding: body.prefix(300), as: UTF8.self)
        }
    }
}
