import HTTPTypes
import Hummingbird
import Testing

@testable import MailpulseServer

/// Which address a request's client has: only a trusted proxy's `X-Forwarded-For` is believed.
@Suite struct ClientAddressTests {
    static func request(forwardedFor: [String]) -> Request {
        var head = HTTPRequest(method: .post, scheme: "http", authority: "mail.example", path: "/api/accounts")
        for value in forwardedFor { head.headerFields.append(HTTPField(name: .forwardedFor, value: value)) }
        return Request(head: head, body: .init(buffer: .init()))
    }

    @Test func aClientsOwnForwardedForIsIgnored() {
        let addresses = ClientAddress(trustedProxies: [])
        #expect(addresses.of(Self.request(forwardedFor: ["203.0.113.7"]), peer: "198.51.100.1") == "198.51.100.1")
        #expect(addresses.of(Self.request(forwardedFor: []), peer: nil) == nil)
    }

    @Test func behindTrustedProxiesTheNearestUntrustedHopIsTheClient() throws {
        let blocks = try ["10.0.0.0/8", "fd00::/8", "192.0.2.1"].map { try #require(ClientAddress.Block($0)) }
        let addresses = ClientAddress(trustedProxies: blocks)
        // A client's forged first hop is left of the address the outer proxy saw.
        let forged = Self.request(forwardedFor: ["6.6.6.6, 203.0.113.7", "10.1.2.3"])
        #expect(addresses.of(forged, peer: "10.0.0.5") == "203.0.113.7")
        #expect(addresses.of(Self.request(forwardedFor: ["2001:db8::1"]), peer: "fd12::1") == "2001:db8::1")
        #expect(addresses.of(Self.request(forwardedFor: ["203.0.113.9"]), peer: "192.0.2.1") == "203.0.113.9")
        #expect(addresses.of(Self.request(forwardedFor: ["203.0.113.9"]), peer: "192.0.2.2") == "192.0.2.2")
        // Garbage in the header stops the walk at the last good address.
        #expect(addresses.of(Self.request(forwardedFor: ["not-an-ip"]), peer: "10.0.0.5") == "10.0.0.5")
    }

    @Test(arguments: ["10.0.0.0/33", "10.0.0.0/-1", "10.0.0/8", "fd00::/129", "example.com", "10.0.0.1/", "", "1.2.3.4/1e3"])
    func malformedBlocksAreRefused(_ text: String) {
        #expect(ClientAddress.Block(text) == nil)
    }
}
