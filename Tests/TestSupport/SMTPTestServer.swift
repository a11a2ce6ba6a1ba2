internal import Foundation

#if canImport(Glibc)
internal import Glibc
#endif

/// A submission server of a test's own (`scripts/smtp/smtp-server.py`, Python's aiosmtpd) beside a
/// ``DovecotTestServer``: on a free loopback port, with STARTTLS (required before sign-in) or TLS from the first byte,
/// a self-signed certificate for 127.0.0.1 and localhost, AUTH PLAIN and LOGIN for ``username`` and ``password`` only
/// (anything else is refused with 535). Every message it accepts is saved into the INBOX of each recipient's Dovecot
/// user (the address is the user name: sign in to Dovecot as `grace@example.net`); recipients not in `recipients`
/// are refused with 550. Each accepted message is also kept for ``recordedMessages()``. ``stop()`` (or
/// ``run(dovecot:implicitTLS:recipients:sizeLimit:_:)``) kills it and removes its folder.
public final class SMTPTestServer: TestServer, @unchecked Sendable {
    /// The user that may sign in.
    public let username = "sender@example.com"
    /// Its password.
    public let password = "smtp-secret"
    /// The port it listens on.
    public let port: Int
    /// Whether it speaks TLS from the first byte (else STARTTLS).
    public let implicitTLS: Bool
    /// Its self-signed certificate (PEM), the one to trust.
    public let certificateFile: String
    private let directory: URL
    private let arguments: [String]
    private var pid: pid_t?

    /// Whether Python's aiosmtpd is there (`make test` installs it) beside Dovecot.
    public static let isInstalled: Bool = {
        guard DovecotTestServer.isInstalled, let python = TestEnvironment.executable("python3") else { return false }
        return (try? ChildCommand.run(python, ["-c", "import aiosmtpd"], input: nil).status) == 0
    }()

    /// Prepares a server that delivers to `dovecot`'s users named in `recipients` (addresses), takes messages up to
    /// `sizeLimit` bytes (announced in EHLO's SIZE), and makes its certificate; call ``start()`` next.
    public init(dovecot: DovecotTestServer, implicitTLS: Bool = false, recipients: [String], sizeLimit: Int = 10 * 1024 * 1024) throws {
        self.directory = try TestEnvironment.temporaryDirectory()
        self.port = try TestEnvironment.freePort()
        self.implicitTLS = implicitTLS
        self.certificateFile = self.directory.appendingPathComponent("certificate.pem").path
        let key = self.directory.appendingPathComponent("key.pem").path
        try DovecotTestServer.makeSelfSignedCertificate(
            names: ["IP:127.0.0.1", "DNS:localhost"],
            certificate: self.certificateFile,
            key: key
        )
        let passwordFile = self.directory.appendingPathComponent("password").path
        try self.password.write(toFile: passwordFile, atomically: true, encoding: .utf8)
        let recorded = self.directory.appendingPathComponent("recorded")
        try FileManager.default.createDirectory(at: recorded, withIntermediateDirectories: true)
        let root = TestEnvironment.repositoryRoot
        self.arguments = [
            root.appendingPathComponent("scripts/smtp/smtp-server.py").path,
            "--port", "\(self.port)", "--mode", implicitTLS ? "tls" : "starttls",
            "--certificate", self.certificateFile, "--key", key,
            "--user", self.username, "--password-file", passwordFile,
            "--dovecot-config", dovecot.configurationFile.path,
            "--recipients", recipients.joined(separator: ","),
            "--size-limit", "\(sizeLimit)",
            "--record", recorded.path,
        ]
    }

    deinit {
        // A server a test did not stop (it crashed) is killed without waiting.
        if let pid { kill(pid, SIGKILL) }
        try? FileManager.default.removeItem(at: self.directory)
    }

    private var logFile: String { self.directory.appendingPathComponent("smtp-server.log").path }

    /// Starts the server and waits until it accepts connections.
    public func start() async throws {
        let python = TestEnvironment.executable("python3") ?? "/usr/bin/python3"
        let pid = try ChildCommand.start(python, self.arguments, logFile: self.logFile)
        self.pid = pid
        let port = self.port
        let started = try await TestEnvironment.eventually(timeout: .seconds(20)) {
            ChildCommand.hasEnded(pid) || TestEnvironment.accepts(port: port)
        }
        guard started, TestEnvironment.accepts(port: port) else {
            await self.stop(removing: false)
            let log = (try? String(contentsOfFile: self.logFile, encoding: .utf8)) ?? ""
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "the SMTP server did not start on port \(port): \(log)"])
        }
    }

    /// The messages accepted so far, in order, each as delivered (without the envelope lines the recording adds).
    public func recordedMessages() throws -> [[UInt8]] {
        let folder = self.directory.appendingPathComponent("recorded")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        return try names.map { name in
            let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(name)))
            // The recording's envelope ends at its first empty line.
            let end = bytes.indices.first { index in index + 3 < bytes.count && bytes[index..<(index + 4)].elementsEqual([13, 10, 13, 10]) }
            return end.map { Array(bytes[($0 + 4)...]) } ?? bytes
        }
    }

    /// Stops the server (SIGTERM, SIGKILL if it lingers), waiting off the shared threads, and removes its folder.
    public func stop() async {
        await self.stop(removing: true)
    }

    private func stop(removing: Bool) async {
        if let pid = self.pid {
            self.pid = nil
            _ = try? await TestEnvironment.offThePool { ChildCommand.stop(pid) }
        }
        if removing { try? FileManager.default.removeItem(at: self.directory) }
    }

    /// Runs `body` with a started server beside `dovecot`, and stops it after, whether `body` returns or throws.
    public static func run<Result>(
        dovecot: DovecotTestServer,
        implicitTLS: Bool = false,
        recipients: [String],
        sizeLimit: Int = 10 * 1024 * 1024,
        _ body: (SMTPTestServer) async throws -> Result
    ) async throws -> Result {
        let server = try SMTPTestServer(dovecot: dovecot, implicitTLS: implicitTLS, recipients: recipients, sizeLimit: sizeLimit)
        return try await server.serving(body)
    }
}
