internal import Foundation
internal import HTTPTypes
internal import Hummingbird
internal import NIOCore

/// The IP address of the client behind a request: the peer's, or, when the peer is a trusted proxy, the address
/// its `X-Forwarded-For` names (the nearest one that is not itself a trusted proxy). A client cannot choose its
/// address by sending the header itself, since only a trusted peer's header is read.
struct ClientAddress: Sendable {
    /// The normalised addresses of the trusted proxies.
    let trustedProxies: Set<String>

    /// The client's address, or `nil` when the peer's is unknown (a Unix socket).
    func of(_ request: Request, peer: String?) -> String? {
        guard var client = peer.flatMap(Self.normalized) else { return nil }
        guard self.trustedProxies.contains(client) else { return client }
        let forwarded = request.headers[values: .forwardedFor].flatMap { $0.split(separator: ",") }
        // Read from the nearest hop outwards: each hop appends the address it received the request from.
        for hop in forwarded.reversed() {
            guard let address = Self.normalized(hop.trimmingCharacters(in: .whitespaces)) else { return client }
            client = address
            if !self.trustedProxies.contains(address) { break }
        }
        return client
    }

    /// An IPv4 or IPv6 address in one spelling, or `nil` when the text is not one.
    static func normalized(_ text: String) -> String? {
        guard text.utf8.count <= 64, let address = try? SocketAddress(ipAddress: text, port: 0) else { return nil }
        return address.ipAddress
    }
}

extension HTTPField.Name {
    /// `X-Forwarded-For`, the client addresses a chain of proxies appends to.
    static let forwardedFor = Self("X-Forwarded-For")!
}
