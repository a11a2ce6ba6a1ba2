internal import Foundation

/// A Graph request as the simulator's API handler sees it, from HTTP or from a `$batch` part.
struct GraphRequest: Sendable {
    var method: String
    /// Path segments after `/v1.0/`, lowercased names with key syntax split: `mailFolders('x')` → `mailfolders`, `x`.
    var segments: [String]
    /// The path as written, for links.
    var rawPath: String
    var query: [String: String]
    var headers: [String: String]
    var body: Data

    init(method: String, path: String, query: [String: String], headers: [String: String], body: Data) {
        self.method = method
        self.rawPath = path
        self.query = query
        self.headers = headers
        self.body = body
        self.segments = Self.segments(of: path)
    }

    /// Splits a Graph path into segments, turning `name('key')` and `name(key)` into `name`, `key`.
    static func segments(of path: String) -> [String] {
        var result: [String] = []
        for raw in path.split(separator: "/") where !raw.isEmpty {
            let part = String(raw).removingPercentEncoding ?? String(raw)
            if let open = part.firstIndex(of: "("), part.hasSuffix(")") {
                result.append(part[..<open].lowercased())
                var key = String(part[part.index(after: open)..<part.index(before: part.endIndex)])
                if key.hasPrefix("'"), key.hasSuffix("'"), key.count >= 2 { key = String(key.dropFirst().dropLast()) }
                result.append(key)
            } else {
                result.append(part)
            }
        }
        return result
    }

    /// The values of the `Prefer` header(s), split at commas.
    var preferences: [String] {
        (self.headers["prefer"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Whether the request asks for immutable ids.
    var wantsImmutableIDs: Bool {
        self.preferences.contains { $0.replacingOccurrences(of: " ", with: "").lowercased() == "idtype=\"immutableid\"" }
    }

    /// The body type asked with `Prefer: outlook.body-content-type="text"` (or `"html"`).
    var bodyContentType: MessageBody.ContentType? {
        for preference in self.preferences {
            let compact = preference.replacingOccurrences(of: " ", with: "").lowercased()
            guard compact.hasPrefix("outlook.body-content-type=") else { continue }
            let value = compact.dropFirst("outlook.body-content-type=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return MessageBody.ContentType(rawValue: value)
        }
        return nil
    }

    /// The page size asked with `Prefer: odata.maxpagesize=N`.
    var maximumPageSize: Int? {
        for preference in self.preferences where preference.lowercased().hasPrefix("odata.maxpagesize=") {
            return Int(preference.dropFirst("odata.maxpagesize=".count))
        }
        return nil
    }
}

/// What the API handler answers.
struct GraphResponse: Sendable {
    var status: Int
    var headers: [(String, String)]
    var body: JSONValue?
    /// Bytes answered as they are (an attachment's `$value`), with their type in `headers`.
    var rawBody: Data?

    static func json(_ body: JSONValue, status: Int = 200, headers: [(String, String)] = []) -> GraphResponse {
        GraphResponse(status: status, headers: headers, body: body)
    }

    /// Bytes of a type, as `GET …/attachments/{id}/$value` answers.
    static func raw(_ bytes: Data, contentType: String) -> GraphResponse {
        GraphResponse(status: 200, headers: [("Content-Type", contentType)], body: nil, rawBody: bytes)
    }

    /// A status without a body, as `sendMail` answers `202 Accepted`.
    static func empty(_ status: Int) -> GraphResponse {
        GraphResponse(status: status, headers: [], body: nil)
    }

    /// Graph's error shape with request ids in `innerError` and in the headers.
    static func error(_ status: Int, code: String, message: String, requestID: String, headers: [(String, String)] = []) -> GraphResponse {
        let date = GraphDate.format(Date()).dropLast()
        let body = JSONValue.object([
            (
                "error",
                .object([
                    ("code", .string(code)),
                    ("message", .string(message)),
                    (
                        "innerError",
                        .object([
                            ("date", .string(String(date))),
                            ("request-id", .string(requestID)),
                            ("client-request-id", .string(requestID)),
                        ])
                    ),
                ])
            )
        ])
        return GraphResponse(status: status, headers: headers, body: body)
    }
}
