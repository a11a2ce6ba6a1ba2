internal import Foundation

extension GraphAPI {
    /// `POST /$batch`: up to 20 parts with unique ids, each authenticated and throttled on its own.
    func batch(_ request: GraphRequest, requestID: String) async -> GraphResponse {
        guard let body = JSONValue.parse(request.body), let parts = body["requests"]?.arrayValue else {
            return .error(400, code: "BadRequest", message: "Invalid batch payload format.", requestID: requestID)
        }
        guard parts.count <= 20 else {
            return .error(400, code: "BadRequest", message: "The number of batch requests exceeds the limit of 20.", requestID: requestID)
        }
        let ids = parts.compactMap { $0["id"]?.stringValue }
        guard ids.count == parts.count, Set(ids).count == ids.count else {
            return .error(400, code: "BadRequest", message: "Batch request ids must be present and unique.", requestID: requestID)
        }
        // Outlook runs at most 4 parts of a batch at once.
        var responses: [JSONValue] = []
        for start in stride(from: 0, to: parts.count, by: 4) {
            let chunk = parts[start..<min(start + 4, parts.count)]
            responses += await withTaskGroup(of: JSONValue.self) { group in
                for part in chunk {
                    group.addTask { await self.batchPart(part, outer: request) }
                }
                var collected: [JSONValue] = []
                for await response in group { collected.append(response) }
                return collected
            }
        }
        return .json(.object([("responses", .array(responses))]))
    }

    private func batchPart(_ part: JSONValue, outer: GraphRequest) async -> JSONValue {
        let id = part["id"]?.stringValue ?? ""
        let method = part["method"]?.stringValue ?? "GET"
        let url = part["url"]?.stringValue ?? ""
        let pathAndQuery = url.hasPrefix("/") ? String(url.dropFirst()) : url
        let path = String(pathAndQuery.split(separator: "?", maxSplits: 1).first ?? "")
        var query: [String: String] = [:]
        if let questionMark = pathAndQuery.firstIndex(of: "?") {
            for item in pathAndQuery[pathAndQuery.index(after: questionMark)...].split(separator: "&") {
                let pair = item.split(separator: "=", maxSplits: 1).map(String.init)
                query[pair[0].removingPercentEncoding ?? pair[0]] = pair.count > 1 ? (pair[1].removingPercentEncoding ?? pair[1]) : ""
            }
        }
        var headers = outer.headers.filter { ["authorization", "prefer"].contains($0.key) }
        if case .object(let partHeaders)? = part["headers"] {
            for (name, value) in partHeaders { headers[name.lowercased()] = value.stringValue ?? "" }
        }
        let partBody = part["body"].map(\.data) ?? Data()
        let response = await self.handle(GraphRequest(method: method, path: path, query: query, headers: headers, body: partBody))
        return .object([
            ("id", .string(id)),
            ("status", .number(Double(response.status))),
            ("headers", .object(response.headers.map { ($0.0, .string($0.1)) })),
            // Binary bodies travel base64-encoded in a batch response.
            ("body", response.rawBody.map { .string($0.base64EncodedString()) } ?? response.body ?? .null),
        ])
    }
}
