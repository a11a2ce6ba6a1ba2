internal import Foundation

#if canImport(Glibc)
internal import Glibc
#endif

/// A short command run to its end with `posix_spawn`, its standard output and error read together. For commands tests
/// run by the dozen (`doveadm`): Foundation's `Process.run()` on Linux over-reads `/proc/self/fd` entries and crashes
/// now and then in a process with many descriptors open (swift-corelibs-foundation#5472, fixed after Swift 6.3.1).
/// Blocks the calling thread until the command ends.
enum ChildCommand {
    /// Runs `path` with `arguments`, `input` on its standard input; answers its exit status and output.
    static func run(_ path: String, _ arguments: [String], input: String?) throws -> (status: Int32, output: String) {
        var output: [Int32] = [-1, -1]
        var stdin: [Int32] = [-1, -1]
        defer {
            for descriptor in output + stdin where descriptor >= 0 { close(descriptor) }
        }
        let pid = try TestEnvironment.launching {
            // Close-on-exec, so no other child holds these pipes open (the pipes are made while no other test starts a
            // process); dup2 clears it on the child's 0, 1 and 2.
            guard pipe(&output) == 0, pipe(&stdin) == 0 else { throw Self.failure("pipe", errno) }
            for descriptor in output + stdin { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
            return try Self.spawn(path, arguments, stdin: stdin[0], output: output[1])
        }
        close(output[1])
        output[1] = -1
        close(stdin[0])
        stdin[0] = -1
        if let input {
            let bytes = Array(input.utf8)
            var written = 0
            while written < bytes.count {
                let count = bytes.withUnsafeBytes { write(stdin[1], $0.baseAddress! + written, $0.count - written) }
                guard count > 0 else { break }
                written += count
            }
        }
        close(stdin[1])
        stdin[1] = -1
        var text: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(output[0], $0.baseAddress, $0.count) }
            if count > 0 {
                text += buffer[0..<count]
            } else if count < 0, errno == EINTR {
                continue
            } else {
                break
            }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        // WIFEXITED / WEXITSTATUS, which Swift does not import as functions.
        let exitStatus = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (exitStatus, String(decoding: text, as: UTF8.self))
    }

    /// Starts `path` with `arguments` in the background, standard input from /dev/null and standard output and error
    /// appended to `logFile`; answers its process id. The caller ends it (``stop(_:)``).
    static func start(_ path: String, _ arguments: [String], logFile: String) throws -> pid_t {
        try TestEnvironment.launching {
            let log = open(logFile, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
            defer {
                if log >= 0 { close(log) }
                if null >= 0 { close(null) }
            }
            guard log >= 0, null >= 0 else { throw Self.failure("open \(logFile)", errno) }
            return try Self.spawn(path, arguments, stdin: null, output: log)
        }
    }

    /// Whether the process `pid` (a child) has ended, reaping it if so; never blocks.
    static func hasEnded(_ pid: pid_t) -> Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == pid
    }

    /// Ends a child started with ``start(_:_:logFile:)``: SIGTERM, then SIGKILL when it has not ended within
    /// `grace`; blocks until it is reaped.
    static func stop(_ pid: pid_t, grace: Duration = .seconds(5)) {
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        var status: Int32 = 0
        while ContinuousClock.now < deadline {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid || (reaped < 0 && errno != EINTR) { return }
            usleep(20_000)
        }
        kill(pid, SIGKILL)
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
    }

    private static func spawn(_ path: String, _ arguments: [String], stdin: Int32, output: Int32) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, output, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer {
            for argument in argv { free(argument) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, environ)
        guard spawned == 0 else { throw Self.failure("posix_spawn \(path)", spawned) }
        return pid
    }

    private static func failure(_ what: String, _ code: Int32) -> CocoaError {
        CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "\(what) failed: \(String(cString: strerror(code)))"])
    }
}
