import Foundation
import TestSupport
import Testing

@testable import IMAP

extension IMAPConnectionTests {
    /// TLS and STARTTLS against a real Dovecot with a self-signed certificate: trusted, it signs in and lists folders;
    /// untrusted, for another host, on a plain port, or with no STARTTLS on offer, the connection fails with a reason.
    struct TLS {

        /// Signs in and answers the folders' names.
        static func folders(_ connection: IMAPConnection) async throws -> Set<String> {
            try await connection.login(username: "ada", password: "secret")
            return Set(try await connection.mailboxes().map(\.name))
        }

        @Test func tlsOnTheIMAPSPortTrustingTheCertificateSignsInAndLists() async throws {
            try await DovecotTestServer.run(tls: true) { server in
                let certificate = try #require(server.certificateFile)
                let connection = try await IMAPConnection.connect(
                    host: "127.0.0.1",
                    port: try #require(server.tlsPort),
                    security: .tls,
                    trustRoots: .certificates(pemFile: certificate)
                )
                defer { connection.close() }
                #expect(connection.greeting.kind == .ok)
                #expect(try await Self.folders(connection) == ["INBOX", "Sent", "Trash"])
            }
        }

        @Test func tlsByHostNameChecksTheCertificatesDNSName() async throws {
            try await DovecotTestServer.run(tls: true) { server in
                let connection = try await IMAPConnection.connect(
                    host: "localhost",
                    port: try #require(server.tlsPort),
                    security: .tls,
                    trustRoots: .certificates(pemFile: try #require(server.certificateFile))
                )
                defer { connection.close() }
                #expect(try await Self.folders(connection).contains("INBOX"))
            }
        }

        @Test func starttlsOnThePlainPortSignsInAndAsksForTheCapabilitiesAgain() async throws {
            try await DovecotTestServer.run(tls: true) { server in
                let plain = try await IMAPConnection.connect(host: "127.0.0.1", port: server.port)
                #expect(try await plain.capabilities().contains("STARTTLS"), "Dovecot offers STARTTLS before TLS")
                plain.close()

                let connection = try await IMAPConnection.connect(
                    host: "127.0.0.1",
                    port: server.port,
                    security: .starttls,
                    trustRoots: .certificates(pemFile: try #require(server.certificateFile))
                )
                defer { connection.close() }
                // Asked again under TLS: STARTTLS is no longer offered, as it was in the greeting.
                let capabilities = try await connection.capabilities()
                #expect(!capabilities.contains("STARTTLS") && capabilities.contains("IMAP4REV1"), "\(capabilities)")
                #expect(try await Self.folders(connection) == ["INBOX", "Sent", "Trash"])
            }
        }

        @Test(arguments: [IMAPSecurity.tls, .starttls])
        func aCertificateNotTrustedFailsTheConnection(security: IMAPSecurity) async throws {
            try await DovecotTestServer.run(tls: true) { server in
                let port = security == .tls ? try #require(server.tlsPort) : server.port
                do {
                    _ = try await IMAPConnection.connect(
                        host: "127.0.0.1",
                        port: port,
                        security: security,
                        trustRoots: .system,
                        timeout: .seconds(10)
                    )
                    Issue.record("a self-signed certificate was trusted")
                } catch IMAPError.tlsFailed(let reason) {
                    #expect(reason.contains("the certificate of 127.0.0.1 is not trusted"), "\(reason)")
                }
            }
        }

        @Test func aCertificateForAnotherHostFailsTheConnection() async throws {
            try await DovecotTestServer.run(tls: true, certificateNames: ["DNS:mail.example.com"]) { server in
                do {
                    _ = try await IMAPConnection.connect(
                        host: "127.0.0.1",
                        port: try #require(server.tlsPort),
                        security: .tls,
                        trustRoots: .certificates(pemFile: try #require(server.certificateFile))
                    )
                    Issue.record("a certificate for mail.example.com was taken for 127.0.0.1")
                } catch IMAPError.tlsFailed(let reason) {
                    #expect(reason.contains("the certificate of 127.0.0.1 is not issued for 127.0.0.1"), "\(reason)")
                }
            }
        }

        @Test func tlsToThePlainPortFailsSoonWithAReason() async throws {
            try await DovecotTestServer.run(tls: true) { server in
                let started = ContinuousClock.now
                do {
                    _ = try await IMAPConnection.connect(
                        host: "127.0.0.1",
                        port: server.port,
                        security: .tls,
                        trustRoots: .certificates(pemFile: try #require(server.certificateFile)),
                        timeout: .seconds(20)
                    )
                    Issue.record("TLS to a plain-text port succeeded")
                } catch IMAPError.tlsFailed(let reason) {
                    #expect(reason.contains("does not speak TLS"), "\(reason)")
                }
                #expect(ContinuousClock.now - started < .seconds(20), "a failure, not the timeout")
            }
        }

        @Test func starttlsWithoutTheServerOfferingItFails() async throws {
            try await DovecotTestServer.run { server in
                do {
                    _ = try await IMAPConnection.connect(host: "127.0.0.1", port: server.port, security: .starttls, timeout: .seconds(5))
                    Issue.record("STARTTLS went on without the server offering it")
                } catch IMAPError.tlsFailed(let reason) {
                    #expect(reason.contains("does not offer STARTTLS"), "\(reason)")
                }
            }
        }
    }
}
