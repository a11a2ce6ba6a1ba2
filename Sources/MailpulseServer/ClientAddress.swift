internal import Foundation
internal import HTTPTypes
internal import Hummingbird
internal import NIOCore

/// The IP address of the client behind a request: the peer's, or, when the peer is a trusted proxy, the address
/// its `X-Forwarded-For` names (the nearest one that is not itself a trusted proxy). A client cannot choose its
/// address by sending the header itself, since only a trusted peer's header is read.
struct ClientAddress: Sendable {
    /// An address or a CIDR block (`10.0.0.2`, `172.16.0.0/12`, `fd00::/8`) of trusted proxies.
    struct Block: Sendable, Equatable {
        let bytes: [UInt8]
        let prefixLength: Int

        /// Parses `address` or `address/length`; `nil` when it is neither.
        init?(_ text: String) {
            let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard let bytes = ClientAddress.bytes(of: String(parts[0])) else { return nil }
            var length = bytes.count * 8
            if parts.count == 2 {
                guard parts[1].count <= 3, parts[1].allSatisfy(\.isASCII), let value = Int(parts[1]), (0...length).contains(value) else { return nil }
                length = value
            }
            self.bytes = bytes
            self.prefixLength = length
        }

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == self.bytes.count else { return false }
            var remaining = self.prefixLength
            for (mine, theirs) in zip(self.bytes, address) where remaining > 0 {
                let mask = remaining >= 8 ? UInt8(0xFF) : UInt8(0xFF) << (8 - remaining)
                if mine & mask != theirs & mask { return false }
                remaining -= 8
            }
            return true
        }
    }

    let trustedProxies: [Block]

    /// The client's address, or `nil` when the peer's is unknown (a Unix socket).
    func of(_ request: Request, peer: String?) -> String? {
        guard let peer, Self.bytes(of: peer) != nil else { return nil }
        guard self.isTrusted(peer) else { return peer }
        var client = peer
        let forwarded = request.headers[values: .forwardedFor].flatMap { $0.split(separator: ",") }
        // Read from the nearest hop outwards: each hop appends the address it received the request from.
        for hop in forwarded.reversed() {
            let address = hop.trimmingCharacters(in: .whitespaces)
            guard Self.bytes(of: address) != nil else { return client }
            client = address
            if !self.isTrusted(address) { break }
        }
        return client
    }

    private func isTrusted(_ address: String) -> Bool {
        guard let bytes = Self.bytes(of: address) else { return false }
        return self.trustedProxies.contains { $0.contains(bytes) }
    }

    /// The bytes of an IPv4 or IPv6 address, or `nil` when the text is not one (NIO parses it).
    static func bytes(of text: String) -> [UInt8]? {
        guard text.utf8.count <= 64, let address = try? SocketAddress(ipAddress: text, port: 0) else { return nil }
        // The address's bytes within the system's socket address: after family and port (IPv4), and after family,
        // port and flow information (IPv6), as Linux and the BSDs lay them out.
        switch address {
        case .v4(let v4): return withUnsafeBytes(of: v4.address) { Array($0[4..<8]) }
        case .v6(let v6): return withUnsafeBytes(of: v6.address) { Array($0[8..<24]) }
        case .unixDomainSocket: return nil
        }
    }
}

extension HTTPField.Name {
    /// `X-Forwarded-For`, the client addresses a chain of proxies appends to.
    static let forwardedFor = Self("X-Forwarded-For")!
}
