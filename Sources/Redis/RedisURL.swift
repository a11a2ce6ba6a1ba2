internal import Foundation

/// Where a Redis server is and how to log in: parsed from `redis://[[user]:password@]host[:port][/db]`.
public struct RedisURL: Sendable, Equatable, CustomStringConvertible {
    /// The host name or address.
    public var host: String
    /// The TCP port.
    public var port: Int
    /// The ACL user, when the URL names one.
    public var user: String?
    /// The password, when the URL has one.
    public var password: String?
    /// The database number.
    public var database: Int

    /// Parses a Redis URL; an error names what is wrong without repeating the text, which may hold a password.
    public init(_ text: String) throws {
        guard text.hasPrefix("redis://") else {
            throw RedisError.invalidURL("expected redis://[[user]:password@]host[:port][/db]")
        }
        var rest = Substring(text.dropFirst("redis://".count))
        self.user = nil
        self.password = nil
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                let user = String(credentials[..<colon])
                self.user = user.isEmpty ? nil : user
                let password = String(credentials[credentials.index(after: colon)...])
                self.password = password.removingPercentEncoding ?? password
            } else {
                self.password = String(credentials).removingPercentEncoding ?? String(credentials)
            }
        }
        self.database = 0
        if let slash = rest.firstIndex(of: "/") {
            let path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
            if !path.isEmpty {
                guard let database = Int(path), database >= 0 else {
                    throw RedisError.invalidURL("the database (after the last /) is not a number")
                }
                self.database = database
            }
        }
        self.port = 6379
        if let colon = rest.lastIndex(of: ":") {
            guard let port = Int(rest[rest.index(after: colon)...]), (1...65535).contains(port) else {
                throw RedisError.invalidURL("the port is not a number from 1 to 65535")
            }
            self.port = port
            rest = rest[..<colon]
        }
        guard !rest.isEmpty else {
            throw RedisError.invalidURL("the URL names no host")
        }
        self.host = String(rest)
    }

    /// The URL with the password hidden, fit for logs.
    public var description: String {
        let credentials = self.password == nil ? "" : "\(self.user ?? ""):***@"
        return "redis://\(credentials)\(self.host):\(self.port)/\(self.database)"
    }
}
