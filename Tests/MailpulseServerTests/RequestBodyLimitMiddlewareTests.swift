import HTTPTypes
import Hummingbird
import Logging
import MailpulseServer
import NIOCore
import Testing

/// Bodies are bounded in size and in time before any handler sees them.
@Suite struct RequestBodyLimitMiddlewareTests {
    struct Context: RequestContext {
        struct Source: RequestContextSource {
            var logger: Logger
        }

        var coreContext: CoreRequestContextStorage

        init(source: Source) {
            self.coreContext = .init(source: source)
        }
    }

    /// The deadline of the tests that expect none to pass: however slow the machine, their bodies are there first.
    static let ample = Duration.seconds(600)

    /// Where the test's handler answers the body it was given.
    static let echoed = HTTPField.Name("X-Echoed-Body")!

    /// The body the handler was given, through the middleware.
    static func handle(_ body: RequestBody, headers: HTTPFields, deadline: Duration = Self.ample) async throws -> String? {
        var head = HTTPRequest(method: .post, scheme: "http", authority: "mail.example", path: "/webhooks/graph")
        head.headerFields = headers
        let middleware = RequestBodyLimitMiddleware<Context>(maximumBytes: 100, deadline: deadline)
        let response = try await middleware.handle(
            Request(head: head, body: body),
            context: Context(source: .init(logger: Logger(label: "test")))
        ) { request, _ in
            Response(status: .ok, headers: [Self.echoed: String(buffer: try await request.body.collect(upTo: .max))])
        }
        return response.headers[Self.echoed]
    }

    /// A body that arrives in `parts`, then ends.
    static func body(_ parts: [ByteBuffer]) -> RequestBody {
        let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream()
        for part in parts { continuation.yield(part) }
        continuation.finish()
        return RequestBody(asyncSequence: stream)
    }

    @Test func aWholeBodyReachesTheHandler() async throws {
        let body = Self.body([ByteBuffer(string: "{\"value\":"), ByteBuffer(string: "[]}")])
        #expect(try await Self.handle(body, headers: [.contentLength: "12"]) == "{\"value\":[]}")
    }

    @Test func aBodyThatStopsArrivingIsAnswered408() async throws {
        let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream()
        continuation.yield(ByteBuffer(string: "{\"value\":"))
        defer { continuation.finish() }
        let error = await #expect(throws: HTTPError.self) {
            _ = try await Self.handle(RequestBody(asyncSequence: stream), headers: [.contentLength: "12"], deadline: .milliseconds(200))
        }
        #expect(error?.status == .requestTimeout)
    }

    @Test func aChunkedBodyOverTheLimitIsAnswered413() async throws {
        let body = Self.body([ByteBuffer(repeating: UInt8(ascii: "x"), count: 80), ByteBuffer(repeating: UInt8(ascii: "y"), count: 80)])
        let error = await #expect(throws: HTTPError.self) {
            _ = try await Self.handle(body, headers: [.transferEncoding: "chunked"])
        }
        #expect(error?.status == .contentTooLarge)
    }
}
