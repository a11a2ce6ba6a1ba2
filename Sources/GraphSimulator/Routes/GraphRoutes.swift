internal import Foundation
internal import HTTPTransport
internal import HTTPTypes
internal import Hummingbird

/// Serves `/v1.0/**` through ``GraphAPI``.
struct GraphRoutes: Sendable {
    let state: SimulatorState
    let transport: any HTTPTransport
    let dispatcher: NotificationDispatcher

    /// Graph's limit on a request body: 4 MB, attachments given inline in `sendMail` included.
    static let maximumBodySize = 4 << 20

    func add(to router: Router<BasicRequestContext>) {
        for method in [HTTPRequest.Method.get, .post, .patch, .delete] {
            router.on("/v1.0/**", method: method) { request, context in
                try await self.serve(request, context: context)
            }
        }
    }

    private func serve(_ request: Request, context: BasicRequestContext) async throws -> Response {
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: Self.maximumBodySize)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            let requestID = request.headers[values: HTTPField.Name("client-request-id")!].first ?? UUID().uuidString.lowercased()
            let response = GraphResponse.error(
                413,
                code: "ErrorRequestEntityTooLarge",
                message: "The request is larger than the limit of 4 MB.",
                requestID: requestID,
                headers: [("request-id", requestID), ("client-request-id", requestID)]
            )
            return Self.response(response)
        }
        var headers: [String: String] = [:]
        for field in request.headers {
            headers[field.name.canonicalName] = headers[field.name.canonicalName].map { "\($0), \(field.value)" } ?? field.value
        }
        let path = String(request.uri.path.dropFirst("/v1.0/".count))
        let host = request.head.authority ?? "127.0.0.1"
        let api = GraphAPI(state: self.state, transport: self.transport, dispatcher: self.dispatcher, baseURL: "http://\(host)/v1.0")
        let graphRequest = GraphRequest(
            method: request.method.rawValue,
            path: path,
            query: FormData.decode(request.uri.query ?? ""),
            headers: headers,
            body: Data(body.readableBytesView)
        )
        return Self.response(await api.handle(graphRequest))
    }

    private static func response(_ response: GraphResponse) -> Response {
        var fields = HTTPFields()
        for (name, value) in response.headers {
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        let status = HTTPResponse.Status(code: response.status)
        if let raw = response.rawBody {
            return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: raw)))
        }
        guard let json = response.body else {
            return Response(status: status, headers: fields)
        }
        return IdentityRoutes.json(json, status: status, headers: fields)
    }
}
