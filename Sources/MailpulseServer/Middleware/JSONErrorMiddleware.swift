internal import Foundation
public import Hummingbird
internal import Logging

/// Turns every error into a JSON body `{"error":{"status":…,"message":…}}` with the error's status;
/// an unexpected error becomes a 500 whose details go to the log, not to the client.
public struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Creates the middleware.
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            let message = (error as? HTTPError)?.body ?? error.status.reasonPhrase
            var response = Self.response(status: error.status, message: message)
            if let httpError = error as? HTTPError {
                for field in httpError.headers where field.name != .contentType && field.name != .contentLength {
                    response.headers.append(field)
                }
            }
            return response
        } catch {
            context.logger.error("Request failed", metadata: ["error.type": "\(String(reflecting: type(of: error)))", "error": "\(error)"])
            return Self.response(status: .internalServerError, message: "internal error")
        }
    }

    /// A JSON error response.
    static func response(status: HTTPResponse.Status, message: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: Self.body(status: status, message: message))
        )
    }

    /// The JSON body of an error: `{"error":{"message":…,"status":…}}`.
    static func body(status: HTTPResponse.Status, message: String) -> ByteBuffer {
        let body = ["error": JSONErrorBody(status: status.code, message: message)]
        // Sorted keys make equal errors byte-identical, so a missing account and someone else's read the same.
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return ByteBuffer(bytes: (try? encoder.encode(body)) ?? Data())
    }
}

private struct JSONErrorBody: Encodable {
    let status: Int
    let message: String
}
