internal import Foundation

/// A Dovecot IMAP server of a test's own (Debian's dovecot-imapd): unprivileged on a free loopback port, its
/// configuration (`scripts/dovecot/dovecot.conf.in`), mail and logs in a scratch folder, any user name and the password
/// ``password`` accepted. With TLS it also offers STARTTLS on that port and IMAPS on a second one, with a self-signed
/// certificate for 127.0.0.1 and localhost made in the same folder. ``stop()`` (or ``run(tls:certificateNames:capabilities:oauthIntrospectionURL:_:)``) ends it; the folder goes with the test
/// process's scratch folder. Sendable for tests' closures: a test starts and stops its server from one task.
public final class DovecotTestServer: TestServer, @unchecked Sendable {
    /// What Gmail announces after sign-in, less its own X-GM-EXT-1: CONDSTORE but neither QRESYNC nor NOTIFY.
    public static let gmailCapabilities = [
        "IMAP4rev1", "UNSELECT", "IDLE", "NAMESPACE", "QUOTA", "ID", "CHILDREN", "UIDPLUS", "ENABLE", "MOVE", "CONDSTORE", "ESEARCH",
        "LIST-EXTENDED", "LIST-STATUS", "SPECIAL-USE",
    ]

    /// What a server of IMAP4rev1 alone announces (no CONDSTORE, QRESYNC, NOTIFY or ESEARCH): every round reads every
    /// message's flags.
    public static let plainCapabilities = ["IMAP4rev1", "IDLE", "ENABLE", "UIDPLUS", "MOVE", "SPECIAL-USE", "LITERAL+"]

    /// The port it listens on (plain text, and STARTTLS with TLS).
    public let port: Int
    /// The IMAPS port (TLS from the first byte), with TLS only.
    public let tlsPort: Int?
    /// The server's self-signed certificate (PEM), the one to trust, with TLS only.
    public let certificateFile: String?
    private let keyFile: String?
    /// What the server announces instead of Dovecot's own capabilities (`nil`: Dovecot's).
    private let capabilities: [String]?
    /// Where Dovecot checks XOAUTH2 and OAUTHBEARER tokens (`nil`: no OAuth).
    private let oauthIntrospectionURL: String?
    private let directory: URL
    /// Dovecot's sockets: a short path of its own, since a socket's path may not exceed 108 bytes.
    private let sockets: URL
    private var process: Process?
    /// The password every user signs in with (``setPassword(_:)`` changes it for the next start).
    public private(set) var password = "secret"

    /// Whether Dovecot is installed (`make test` installs it).
    public static var isInstalled: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/sbin/dovecot")
    }

    /// Writes the configuration, and with `tls` makes the certificate (with the `openssl` command); call ``start()``
    /// next. `certificateNames` are the certificate's subject alternative names. `capabilities` replace what Dovecot
    /// announces, before and after login (it still adds `AUTH=…` and `STARTTLS` before): `["IMAP4rev1"]` makes a client
    /// sign in with LOGIN and send synchronizing literals. With `oauthIntrospectionURL` (an
    /// ``OAuthIntrospectionTestServer``'s) it also offers XOAUTH2 and OAUTHBEARER, and asks that URL about the tokens.
    public init(
        tls: Bool = false,
        certificateNames: [String] = ["IP:127.0.0.1", "DNS:localhost"],
        capabilities: [String]? = nil,
        oauthIntrospectionURL: String? = nil
    ) throws {
        self.directory = try TestEnvironment.temporaryDirectory()
        self.port = try TestEnvironment.freePort()
        self.capabilities = capabilities
        self.oauthIntrospectionURL = oauthIntrospectionURL
        if tls {
            self.tlsPort = try TestEnvironment.freePort()
            let certificate = self.directory.appendingPathComponent("certificate.pem").path
            let key = self.directory.appendingPathComponent("key.pem").path
            try Self.makeSelfSignedCertificate(names: certificateNames, certificate: certificate, key: key)
            self.certificateFile = certificate
            self.keyFile = key
        } else {
            self.tlsPort = nil
            self.certificateFile = nil
            self.keyFile = nil
        }
        self.sockets = URL(fileURLWithPath: "/tmp/mpd-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: self.sockets, withIntermediateDirectories: true)
        for folder in ["state", "mail", "home"] {
            try FileManager.default.createDirectory(at: self.directory.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        // Dovecot refuses uid 0 for mail users: the mail belongs to nobody.
        for folder in ["mail", "home"] {
            try FileManager.default.setAttributes(
                [.ownerAccountName: "nobody", .posixPermissions: 0o777],
                ofItemAtPath: self.directory.appendingPathComponent(folder).path
            )
        }
        if let oauthIntrospectionURL {
            let settings = """
                introspection_mode = post
                introspection_url = \(oauthIntrospectionURL)
                username_attribute = username
                active_attribute = active
                active_value = true

                """
            try settings.write(to: self.oauthSettingsFile, atomically: true, encoding: .utf8)
        }
        try self.configuration.write(to: self.configurationFile, atomically: true, encoding: .utf8)
    }

    deinit {
        // A server a test did not stop (it crashed) is killed without waiting.
        if let process = self.process, process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: self.sockets)
    }

    /// Dovecot's configuration, for `doveadm -c` run by others (the SMTP test server's delivery).
    var configurationFile: URL { self.directory.appendingPathComponent("dovecot.conf") }

    private var oauthSettingsFile: URL { self.directory.appendingPathComponent("dovecot-oauth2.conf.ext") }

    /// A self-signed certificate for `names` (`IP:…`, `DNS:…`), valid for two days, and its key (with `openssl`).
    static func makeSelfSignedCertificate(names: [String], certificate: String, key: String) throws {
        let (status, output) = try ChildCommand.run(
            TestEnvironment.executable("openssl") ?? "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-subj", "/CN=Mailpulse test", "-addext", "subjectAltName=\(names.joined(separator: ","))",
                "-keyout", key, "-out", certificate,
            ],
            input: nil
        )
        guard status == 0 else {
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "openssl could not make a certificate: \(output)"])
        }
    }

    /// The shared template with this server's folder, sockets, port and password, then its own settings: any user name
    /// (UTF-8 ones go as literals in LOGIN), the capabilities it announces instead of its own, OAuth, TLS.
    private var configuration: String {
        get throws {
            let root = TestEnvironment.repositoryRoot
            var text = try String(contentsOf: root.appendingPathComponent("scripts/dovecot/dovecot.conf.in"), encoding: .utf8)
            for (name, value) in [
                "@DIR@": self.directory.path, "@SOCKETS@": self.sockets.path, "@PORT@": "\(self.port)", "@PASSWORD@": self.password,
            ] {
                text = text.replacingOccurrences(of: name, with: value)
            }
            text += "auth_username_chars =\n"
            if let capabilities = self.capabilities { text += "imap_capability = \(capabilities.joined(separator: " "))\n" }
            if self.oauthIntrospectionURL != nil {
                // Tokens go to the oauth2 passdb, after the template's static one has refused them as passwords.
                text += """
                    auth_mechanisms = plain login xoauth2 oauthbearer
                    passdb {
                      driver = oauth2
                      mechanisms = xoauth2 oauthbearer
                      args = \(self.oauthSettingsFile.path)
                    }

                    """
            }
            if let tlsPort, let certificateFile, let keyFile {
                text += """
                    ssl = yes
                    ssl_cert = <\(certificateFile)
                    ssl_key = <\(keyFile)
                    service imap-login {
                      inet_listener imaps {
                        address = 127.0.0.1
                        port = \(tlsPort)
                      }
                    }

                    """
            }
            return text
        }
    }

    /// Makes `password` (no spaces: Dovecot's static passdb splits its arguments at them) the one every user signs in
    /// with, from the next ``start()`` on.
    public func setPassword(_ password: String) throws {
        self.password = password
        try self.configuration.write(to: self.configurationFile, atomically: true, encoding: .utf8)
    }

    /// Starts Dovecot in the foreground and waits until it accepts connections.
    public func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/dovecot")
        process.arguments = ["-F", "-c", self.configurationFile.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try TestEnvironment.launch(process)
        self.process = process
        let started = try await TestEnvironment.eventually(timeout: .seconds(15)) {
            TestEnvironment.accepts(port: self.port) && self.tlsPort.map(TestEnvironment.accepts(port:)) ?? true
        }
        guard started else {
            let log = (try? String(contentsOf: self.directory.appendingPathComponent("dovecot.log"), encoding: .utf8)) ?? ""
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "Dovecot did not start on port \(self.port): \(log)"])
        }
    }

    /// Runs `doveadm` on this server (`save`, `flags add`, `expunge`, `mailbox update`, …); answers its output. It is
    /// waited for on one of Dispatch's threads, never on one of the few threads every test's tasks share.
    @discardableResult
    public func doveadm(_ arguments: [String], input: String? = nil) async throws -> String {
        let configuration = self.configurationFile.path
        return try await TestEnvironment.offThePool { try Self.runDoveadm(["-c", configuration] + arguments, input: input) }
    }

    /// Stops Dovecot and its children, and waits (off the shared threads) for the master to end.
    public func stop() async {
        guard let process = self.process else { return }
        self.process = nil
        let configuration = self.configurationFile.path
        _ = try? await TestEnvironment.offThePool {
            _ = try? Self.runDoveadm(["-c", configuration, "stop"], input: nil)
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
    }

    /// Runs `body` with a started server, and stops it after, whether `body` returns or throws.
    public static func run<Result>(
        tls: Bool = false,
        certificateNames: [String] = ["IP:127.0.0.1", "DNS:localhost"],
        capabilities: [String]? = nil,
        oauthIntrospectionURL: String? = nil,
        _ body: (DovecotTestServer) async throws -> Result
    ) async throws -> Result {
        let server = try DovecotTestServer(
            tls: tls,
            certificateNames: certificateNames,
            capabilities: capabilities,
            oauthIntrospectionURL: oauthIntrospectionURL
        )
        return try await server.serving(body)
    }

    private static func runDoveadm(_ arguments: [String], input: String?) throws -> String {
        let (status, output) = try ChildCommand.run("/usr/bin/doveadm", arguments, input: input)
        guard status == 0 else {
            throw CocoaError(
                .executableLoad,
                userInfo: [NSLocalizedDescriptionKey: "doveadm \(arguments.dropFirst(2).joined(separator: " ")): \(output)"]
            )
        }
        return output
    }
}
