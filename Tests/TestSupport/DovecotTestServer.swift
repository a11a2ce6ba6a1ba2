internal import Foundation

/// A Dovecot IMAP server of a test's own (Debian's dovecot-imapd): unprivileged on a free loopback port, its
/// configuration, mail and logs in a scratch folder, the password `secret` accepted for any user. ``stop()`` kills it;
/// the folder goes with the test process's scratch folder. Sendable for tests' closures: a test starts and stops its
/// server from one task.
public final class DovecotTestServer: @unchecked Sendable {
    /// What Gmail announces after sign-in, less its own X-GM-EXT-1: CONDSTORE but neither QRESYNC nor NOTIFY.
    public static let gmailCapabilities =
        "IMAP4rev1 UNSELECT IDLE NAMESPACE QUOTA ID CHILDREN UIDPLUS ENABLE MOVE CONDSTORE ESEARCH LIST-EXTENDED LIST-STATUS SPECIAL-USE"

    /// The port it listens on.
    public let port: Int
    private let directory: URL
    /// Dovecot's sockets: a short path of its own, since a socket's path may not exceed 108 bytes.
    private let sockets: URL
    private var process: Process?
    /// What the server announces after sign-in, when not Dovecot's own list (`imap_capability`).
    private let announced: String?

    /// Whether Dovecot is installed (`make test` installs it).
    public static var isInstalled: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/sbin/dovecot")
    }

    /// Writes the configuration; call ``start()`` next. With `capabilities`, the server announces those after sign-in
    /// instead of its own (to play a server without NOTIFY or QRESYNC, as Gmail is).
    public init(capabilities: String? = nil) throws {
        self.announced = capabilities
        self.directory = try TestEnvironment.temporaryDirectory()
        self.port = try TestEnvironment.freePort()
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
        try self.configuration.write(to: self.configurationFile, atomically: true, encoding: .utf8)
    }

    deinit {
        self.stop()
        try? FileManager.default.removeItem(at: self.sockets)
    }

    private var configurationFile: URL { self.directory.appendingPathComponent("dovecot.conf") }

    private var configuration: String {
        let folder = self.directory.path
        return """
            base_dir = \(self.sockets.path)
            state_dir = \(folder)/state
            log_path = \(folder)/dovecot.log
            protocols = imap
            listen = 127.0.0.1
            ssl = no
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            first_valid_uid = 0
            default_internal_user = dovecot
            default_login_user = dovenull
            mail_location = sdbox:\(folder)/mail/%u
            passdb {
              driver = static
              args = password=secret
            }
            userdb {
              driver = static
              args = uid=nobody gid=nogroup home=\(folder)/home/%u
            }
            namespace inbox {
              inbox = yes
              separator = /
              mailbox Sent {
                special_use = \\Sent
                auto = subscribe
              }
              mailbox Trash {
                special_use = \\Trash
                auto = subscribe
              }
            }
            service imap-login {
              inet_listener imap {
                address = 127.0.0.1
                port = \(self.port)
              }
              inet_listener imaps {
                port = 0
              }
            }
            service auth {
              unix_listener auth-userdb {
                mode = 0666
              }
            }
            \(self.announced.map { "protocol imap {\n  imap_capability = \($0)\n}\n" } ?? "")
            """
    }

    /// Starts Dovecot in the foreground and waits until it accepts connections.
    public func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/dovecot")
        process.arguments = ["-F", "-c", self.configurationFile.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        let started = try await TestEnvironment.eventually(timeout: .seconds(15)) { TestEnvironment.accepts(port: self.port) }
        guard started else {
            let log = (try? String(contentsOf: self.directory.appendingPathComponent("dovecot.log"), encoding: .utf8)) ?? ""
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "Dovecot did not start on port \(self.port): \(log)"])
        }
    }

    /// Runs `doveadm` on this server (`save`, `flags add`, `expunge`, `mailbox update`, …); answers its output.
    @discardableResult
    public func doveadm(_ arguments: [String], input: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/doveadm")
        process.arguments = ["-c", self.configurationFile.path] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let stdin = Pipe()
        if input != nil { process.standardInput = stdin }
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "doveadm \(arguments.joined(separator: " ")): \(text)"])
        }
        return text
    }

    /// Stops Dovecot and its children, and waits for the master to end.
    public func stop() {
        guard let process = self.process else { return }
        _ = try? self.doveadm(["stop"])
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        self.process = nil
    }
}
