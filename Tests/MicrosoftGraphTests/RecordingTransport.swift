import Foundation
import HTTPTransport
import Synchronization

/// A transport that records what would have been sent and answers every request with one canned response.
final class RecordingTransport: HTTPTransport {
    private let sent = Mutex<[HTTPRequestData]>([])
    private let response: HTTPResponseData

    init(status: Int = 200, headers: [String: String] = [:], body: String = "{\"value\":[]}") {
        self.response = HTTPResponseData(status: status, headers: headers, body: Data(body.utf8))
    }

    /// The requests sent so far.
    var requests: [HTTPRequestData] { self.sent.withLock { $0 } }

    func send(_ request: HTTPRequestData) async throws -> HTTPResponseData {
        self.sent.withLock { $0.append(request) }
        return self.response
    }
}
