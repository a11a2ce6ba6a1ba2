import Foundation
import Redis
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A TCP proxy in front of a Redis server that can lose a reply: the server has run the command, the client never
/// hears back and its connection breaks (as when a network drops between the two).
final class ReplyDroppingProxy: Sendable {
    private let listener: Int32
    private let upstream: RedisURL
    private let dropping = Mutex(false)
    private let sockets = Mutex<[Int32]>([])
    /// Where clients connect: the upstream's database behind this proxy's port.
    let url: RedisURL

    init(upstream: RedisURL) throws {
        self.upstream = upstream
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(listener, socketAddress, length) == 0 && listen(listener, 16) == 0 && getsockname(listener, socketAddress, &length) == 0
            }
        }
        guard bound else { throw RedisError.connectionFailed("the proxy could not listen") }
        self.url = try RedisURL("redis://127.0.0.1:\(UInt16(bigEndian: address.sin_port))/\(upstream.database)")
        Thread.detachNewThread { self.acceptConnections() }
    }

    /// The next reply from the server is swallowed and the client's connection closed.
    func dropNextReply() {
        self.dropping.withLock { $0 = true }
    }

    /// Stops accepting and closes every connection.
    func stop() {
        shutdown(self.listener, Int32(SHUT_RDWR))
        close(self.listener)
        for descriptor in self.sockets.withLock({ $0 }) { shutdown(descriptor, Int32(SHUT_RDWR)) }
    }

    private func acceptConnections() {
        while true {
            let client = accept(self.listener, nil, nil)
            guard client >= 0 else { return }
            guard let server = self.connectUpstream() else {
                close(client)
                continue
            }
            self.sockets.withLock { $0 += [client, server] }
            Thread.detachNewThread { self.pipe(from: client, to: server, dropping: false) }
            Thread.detachNewThread { self.pipe(from: server, to: client, dropping: true) }
        }
    }

    private func connectUpstream() -> Int32? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(self.upstream.port).bigEndian
        address.sin_addr.s_addr = inet_addr(self.upstream.host == "localhost" ? "127.0.0.1" : self.upstream.host)
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        if connected { return descriptor }
        close(descriptor)
        return nil
    }

    private func takeDropFlag() -> Bool {
        self.dropping.withLock { flag in
            defer { flag = false }
            return flag
        }
    }

    /// Copies bytes one way until either side closes; the server-to-client direction drops a reply when asked.
    private func pipe(from source: Int32, to destination: Int32, dropping: Bool) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = read(source, &buffer, buffer.count)
            guard count > 0 else { break }
            if dropping, self.takeDropFlag() { break }
            guard write(destination, buffer, count) == count else { break }
        }
        shutdown(source, Int32(SHUT_RDWR))
        shutdown(destination, Int32(SHUT_RDWR))
    }
}
