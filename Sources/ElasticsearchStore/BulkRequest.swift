internal import Foundation

/// The NDJSON body of a `_bulk` request: an action line, then the document (none for a delete), for each operation.
struct BulkRequest {
    /// One `index` operation, or a `delete` when it has no document.
    struct Operation {
        var index: String
        var id: String
        var routing: String
        /// With a version, the write is refused unless the version is above the stored one (`external`), or at least
        /// it (`external_gte`) when `orEqual`.
        var version: Int64?
        var orEqual = true
        var document: Data?
    }

    var operations: [Operation] = []

    /// The body: one line per action and per document, each line ending in a newline (the last one included).
    func body() throws -> Data {
        var body = Data()
        for operation in self.operations {
            var action: [String: Any] = ["_index": operation.index, "_id": operation.id, "routing": operation.routing]
            if let version = operation.version {
                action["version"] = version
                action["version_type"] = operation.orEqual ? "external_gte" : "external"
            }
            body.append(try JSONSerialization.data(withJSONObject: [operation.document == nil ? "delete" : "index": action], options: [.sortedKeys]))
            body.append(0x0A)
            if let document = operation.document {
                body.append(document)
                body.append(0x0A)
            }
        }
        return body
    }
}
