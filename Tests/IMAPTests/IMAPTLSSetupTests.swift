import Foundation
import TestSupport
import Testing

@testable import IMAP

/// TLS without a mail server: the security setting's spelling, a certificate file that is not there, and a peer that
/// never answers the handshake.
struct IMAPTLSSetupTests {
    @Test func aServerSilentInTheHandshakeTimesOut() async throws {
        // A listening socket that never accepts: the kernel completes the TCP handshake, then nothing answers the TLS one.
        let port = try TestEnvironment.freePort()
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(bound == 0 && listen(listener, 4) == 0)
        let started = ContinuousClock.now
        await #expect(throws: IMAPError.timedOut) {
            _ = try await IMAPConnection.connect(host: "127.0.0.1", port: port, security: .tls, timeout: .seconds(1))
        }
        // Well past the timeout only when the machine is busy: other suites' servers start and stop beside this one.
        #expect(ContinuousClock.now - started < .seconds(20))
    }

    @Test func aMissingCertificateFileIsATLSFailure() async throws {
        do {
            _ = try await IMAPConnection.connect(
                host: "127.0.0.1",
                port: 1,
                security: .tls,
                trustRoots: .certificates(pemFile: "/nonexistent/ca.pem")
            )
            Issue.record("a missing certificate file was accepted")
        } catch IMAPError.tlsFailed(let reason) {
            #expect(reason.contains("/nonexistent/ca.pem"), "\(reason)")
        }
    }

    @Test func securityReadsAsConfigurationSpellsIt() throws {
        #expect(IMAPSecurity.allCases.map(\.rawValue) == ["tls", "starttls", "none"])
        let decoded = try JSONDecoder().decode([IMAPSecurity].self, from: Data(#"["starttls","tls","none"]"#.utf8))
        #expect(decoded == [.starttls, .tls, .none])
    }
}
