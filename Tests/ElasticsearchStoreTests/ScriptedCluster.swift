import Foundation
import HTTPTransport
import Synchronization

/// Stands in for an Elasticsearch cluster at the HTTP seam: answers each request with what the test scripted
/// (documented response bodies from `Fixtures/`) and keeps every request for the test to inspect.
final class ScriptedCluster: HTTPTransport {
    private let answer: @Sendable (HTTPRequestData, Int) -> HTTPResponseData
    private let received = Mutex<[HTTPRequestData]>([])

    /// `answer` gets each request and its index among the requests so far.
    init(_ answer: @escaping @Sendable (HTTPRequestData, Int) -> HTTPResponseData) {
        self.answer = answer
    }

    var requests: [HTTPRequestData] { self.received.withLock { $0 } }

    func send(_ request: HTTPRequestData) async throws -> HTTPResponseData {
        let index = self.received.withLock { requests in
            requests.append(request)
            return requests.count - 1
        }
        return self.answer(request, index)
    }

    /// A response with a fixture's body.
    static func fixture(_ name: String, status: Int = 200) -> HTTPResponseData {
        HTTPResponseData(status: status, headers: ["content-type": "application/json"], body: Self.data(name))
    }

    /// A response with a JSON body written by the test.
    static func json(_ text: String, status: Int = 200) -> HTTPResponseData {
        HTTPResponseData(status: status, headers: ["content-type": "application/json"], body: Data(text.utf8))
    }

    static func data(_ name: String) -> Data {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
        return (try? Data(contentsOf: url)) ?? Data()
    }
}
