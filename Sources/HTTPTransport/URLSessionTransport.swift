internal import Foundation
internal import Synchronization

#if canImport(FoundationNetworking)
internal import FoundationNetworking
#endif

/// ``HTTPTransport`` on URLSession (libcurl through FoundationNetworking on Linux).
///
/// Redirects are returned, not followed: an OAuth redirect carries the answer in its `Location`.
public final class URLSessionTransport: HTTPTransport {
    private let session: URLSession

    /// Creates a transport with its own ephemeral session (no cookies, no cache).
    public init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.urlCache = nil
        self.session = URLSession(configuration: configuration, delegate: RedirectRefusal(), delegateQueue: nil)
    }

    deinit {
        self.session.finishTasksAndInvalidate()
    }

    public func send(_ request: HTTPRequestData) async throws -> HTTPResponseData {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        let components = request.timeout.components
        urlRequest.timeoutInterval = Double(components.seconds) + Double(components.attoseconds) / 1e18
        for (name, value) in request.headers {
            urlRequest.addValue(value, forHTTPHeaderField: name)
        }
        urlRequest.httpBody = request.body
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await self.perform(urlRequest)
        } catch {
            throw HTTPTransportError("\(request.method) \(request.url.host ?? ""): \(error.localizedDescription)")
        }
        guard let http = response as? HTTPURLResponse else {
            throw HTTPTransportError("\(request.url) answered without HTTP")
        }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String {
                headers[name.lowercased()] = value
            }
        }
        return HTTPResponseData(status: http.statusCode, headers: headers, body: data)
    }
}

extension URLSessionTransport {
    /// Where a task is resumed and cancelled. FoundationNetworking's `resume()` and `cancel()` wait on the session's
    /// work queue; run on the cooperative pool (as `URLSession.data(for:)` does, and its cancellation handler under
    /// the task's status lock), two of them blocked the pool's only two threads of a 2-core machine, and every task
    /// of the process stalled.
    private static let taskControl = DispatchQueue(label: "mailpulse.http.task-control", attributes: .concurrent)

    private func perform(_ request: URLRequest) async throws -> (Data, URLResponse) {
        let control = TaskControl()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let task = self.session.dataTask(with: request) { data, response, error in
                    if let error {
                        continuation.resume(throwing: error)
                    } else if let response {
                        continuation.resume(returning: (data ?? Data(), response))
                    } else {
                        continuation.resume(throwing: URLError(.badServerResponse))
                    }
                }
                let cancelled = control.start(task)
                Self.taskControl.async {
                    task.resume()
                    if cancelled { task.cancel() }
                }
            }
        } onCancel: {
            if let task = control.cancel() {
                Self.taskControl.async { task.cancel() }
            }
        }
    }
}

/// The task of one request and whether it was cancelled, whichever comes first.
private final class TaskControl: Sendable {
    private let state = Mutex<(task: URLSessionDataTask?, cancelled: Bool)>((nil, false))

    /// Records the task; answers whether the request was cancelled before it existed.
    func start(_ task: URLSessionDataTask) -> Bool {
        self.state.withLock { state in
            state.task = task
            return state.cancelled
        }
    }

    /// Records the cancellation; answers the task to cancel, if it exists yet.
    func cancel() -> URLSessionDataTask? {
        self.state.withLock { state in
            state.cancelled = true
            return state.task
        }
    }
}

/// Refuses every redirect, so the 3xx response itself reaches the caller.
private final class RedirectRefusal: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession,
        task: URLSessionTask,
        willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest,
        completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
