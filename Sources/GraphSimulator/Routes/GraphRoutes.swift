internal import Foundation
internal import HTTPTransport
internal import HTTPTypes
internal import Hummingbird

/// Serves `/v1.0/**` through ``GraphAPI``.
struct GraphRoutes: Sendable {
    let state: SimulatorState
    let transport: any HTTPTransport

    func add(to router: Router<BasicRequestContext>) {
        for method in [HTTPRequest.Method.get, .post, .patch, .delete] {
            router.on("/v1.0/**", method: method) { request, context in
                try await self.serve(request, context: context)
            }
        }
    }

    private func serve(_ request: Request, context: BasicRequestContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 4 << 20)
        var headers: [String: String] = [:]
        for field in request.headers {
            headers[field.name.canonicalName] = headers[field.name.canonicalName].map { "\($0), \(field.value)" } ?? field.value
        }
        let path = String(request.uri.path.dropFirst("/v1.0/".count))
        let host = request.head.authority ?? "127.0.0.1"
        let api = GraphAPI(state: self.state, transport: self.transport, baseURL: "http://\(host)/v1.0")
        let graphRequest = GraphRequest(
            method: request.method.rawValue,
            path: path,
            query: FormData.decode(request.uri.query ?? ""),
            headers: headers,
            body: Data(body.readableBytesView)
        )
        let response = await api.handle(graphRequest)
        var fields = HTTPFields()
        for (name, value) in response.headers {
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        guard let json = response.body else {
            return Response(status: HTTPResponse.Status(code: response.status), headers: fields)
        }
        return IdentityRoutes.json(json, status: HTTPResponse.Status(code: response.status), headers: fields)
    }
}
