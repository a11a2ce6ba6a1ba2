internal import Foundation
internal import Synchronization

/// An OAuth 2.0 token introspection endpoint (RFC 7662) for Dovecot's `oauth2` passdb: on a free loopback port, it
/// answers each POST of `token=…` with `{"active": true, "username": …}` for the tokens it was given and
/// `{"active": false}` for any other. One request at a time, on a thread of its own; ``stop()`` ends it.
public final class OAuthIntrospectionTestServer: Sendable {
    /// Where Dovecot posts tokens.
    public let url: String
    private let listener: Int32
    /// Whether ``stop()`` ran: the thread closes the listener then, and its number may soon name another socket.
    private let stopped = Mutex(false)

    /// Listens for requests about `tokens` (token → the user it signs in).
    public init(tokens: [String: String]) throws {
        let port = try TestEnvironment.freePort()
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = TestEnvironment.loopback(port: port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 8) == 0 else {
            close(listener)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "cannot listen on port \(port)"])
        }
        self.listener = listener
        self.url = "http://127.0.0.1:\(port)/introspect"
        Thread.detachNewThread {
            while true {
                let client = accept(listener, nil, nil)
                // The listener was shut down by stop().
                guard client >= 0 else {
                    close(listener)
                    return
                }
                Self.answer(client, tokens: tokens)
                close(client)
            }
        }
    }

    deinit {
        self.stop()
    }

    /// Stops listening (the thread ends at its next accept, and closes the listener).
    public func stop() {
        let first = self.stopped.withLock { stopped in
            defer { stopped = true }
            return !stopped
        }
        if first { shutdown(self.listener, Int32(SHUT_RDWR)) }
    }

    /// Reads one request (headers, then the body its Content-Length announces) and answers it.
    private static func answer(_ client: Int32, tokens: [String: String]) {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        let headerEnd = Array("\r\n\r\n".utf8)
        while received.count < 65_536 {
            if let end = received.firstRange(of: headerEnd) {
                let headers = String(decoding: received[..<end.lowerBound], as: UTF8.self).lowercased()
                let length =
                    headers.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                if received.count - end.upperBound >= length {
                    let body = String(decoding: received[end.upperBound..<(end.upperBound + length)], as: UTF8.self)
                    Self.respond(client, body: Self.introspection(of: body, tokens: tokens))
                    return
                }
            }
            let count = read(client, &chunk, chunk.count)
            guard count > 0 else { return }
            received += chunk[..<count]
        }
    }

    /// The JSON answer for a form-encoded body (`token=…&client_id=…`).
    private static func introspection(of body: String, tokens: [String: String]) -> String {
        let fields = body.split(separator: "&").map { $0.split(separator: "=", maxSplits: 1).map(String.init) }
        let token = fields.first { $0.first == "token" }.flatMap { $0.count == 2 ? $0[1].removingPercentEncoding : "" }
        guard let token, let user = tokens[token] else { return #"{"active":false}"# }
        return #"{"active":true,"username":"\#(user)"}"#
    }

    private static func respond(_ client: Int32, body: String) {
        let response = Array(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)".utf8
        )
        var sent = 0
        while sent < response.count {
            let count = response[sent...].withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
            guard count > 0 else { return }
            sent += count
        }
    }
}
