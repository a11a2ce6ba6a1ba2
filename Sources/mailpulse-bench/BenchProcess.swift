import Foundation

/// A child process of the bench (graph-sim, the service, wrk), with what `/proc` says of it.
final class BenchProcess: @unchecked Sendable {
    private let process = Process()

    /// Starts `executable` with `arguments` and `environment` added to the bench's own; output goes to `log`.
    init(_ executable: String, _ arguments: [String] = [], environment: [String: String] = [:], log: URL) throws {
        self.process.executableURL = URL(fileURLWithPath: executable)
        self.process.arguments = arguments
        self.process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        self.process.standardOutput = handle
        self.process.standardError = handle
        try self.process.run()
    }

    /// graph-sim, from beside the bench's own binary, on `port`, logging errors only to `folder`.
    static func simulator(port: Int, logIn folder: URL) throws -> BenchProcess {
        try BenchProcess(
            Bundle.main.executableURL!.deletingLastPathComponent().appendingPathComponent("graph-sim").path,
            ["--port", "\(port)", "--log-level", "error"],
            log: folder.appendingPathComponent("graph-sim.log")
        )
    }

    var pid: Int32 { self.process.processIdentifier }

    /// Resident memory in KiB (`VmRSS`).
    func residentKilobytes() throws -> Double {
        let status = try String(contentsOfFile: "/proc/\(self.pid)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let value = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap({ Double($0) })
        else { throw BenchError("no VmRSS for process \(self.pid)") }
        return value
    }

    /// CPU time used so far, user and system, in seconds.
    func cpuSeconds() throws -> Double {
        let stat = try String(contentsOfFile: "/proc/\(self.pid)/stat", encoding: .utf8)
        // Fields after the command (which may hold spaces) start after its closing parenthesis; utime and stime are
        // the 14th and 15th fields, the 12th and 13th after it.
        guard let close = stat.lastIndex(of: ")") else { throw BenchError("unreadable /proc/\(self.pid)/stat") }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else {
            throw BenchError("unreadable /proc/\(self.pid)/stat")
        }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    func stop() {
        guard self.process.isRunning else { return }
        self.process.terminate()
        self.process.waitUntilExit()
    }

    deinit {
        self.stop()
    }

    /// Runs `command` to its end; answers its standard output and error, or throws when it fails.
    static func output(of command: [String], environment: [String: String] = [:]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchError("\(command.joined(separator: " ")) exited with \(process.terminationStatus):\n\(output)")
        }
        return output
    }
}
