import Foundation

/// wrk, the HTTP load generator: a fixed number of connections for a fixed time, with its latency distribution.
struct LoadGenerator {
    /// What one wrk run measured.
    struct Result {
        var requests: Int
        var requestsPerSecond: Double
        var p50: Double
        var p99: Double
    }

    var connections = 32
    var seconds: Int

    /// Loads `url`, with `script` (Lua) writing the requests when given; fails when any answer was not 2xx or 3xx.
    func run(_ url: String, script: String? = nil, arguments: [String] = []) throws -> Result {
        var command = ["wrk", "--threads", "1", "--connections", "\(self.connections)", "--duration", "\(self.seconds)s", "--latency"]
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mailpulse-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        if let script {
            let file = folder.appendingPathComponent("load.lua")
            try script.write(to: file, atomically: true, encoding: .utf8)
            command += ["--script", file.path]
        }
        command.append(url)
        if !arguments.isEmpty { command += ["--"] + arguments }
        let output = try BenchProcess.output(of: command)
        guard !output.contains("Non-2xx or 3xx responses"), !output.contains("Socket errors") else {
            throw BenchError("wrk saw failed requests against \(url):\n\(output)")
        }
        guard let rate = Self.number(after: "Requests/sec:", in: output),
            let total = Self.number(before: " requests in ", in: output),
            let p50 = Self.latency("50%", in: output),
            let p99 = Self.latency("99%", in: output)
        else { throw BenchError("wrk's report was not understood:\n\(output)") }
        return Result(requests: Int(total), requestsPerSecond: rate, p50: p50, p99: p99)
    }

    /// ``run(_:script:arguments:)`` on a thread of its own, so the load runs while the caller's tasks go on (wrk's
    /// wait would otherwise hold one of the few threads Swift's tasks run on).
    func runAlongside(_ url: String, script: String? = nil, arguments: [String] = []) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Swift.Result { try self.run(url, script: script, arguments: arguments) })
            }
        }
    }

    private static func number(after label: String, in output: String) -> Double? {
        output.split(separator: "\n").first { $0.contains(label) }.flatMap { line in
            Double(line.components(separatedBy: label)[1].trimmingCharacters(in: .whitespaces))
        }
    }

    private static func number(before label: String, in output: String) -> Double? {
        output.split(separator: "\n").first { $0.contains(label) }.flatMap { line in
            Double(line.components(separatedBy: label)[0].trimmingCharacters(in: .whitespaces))
        }
    }

    /// A percentile line of wrk's latency distribution (`50%  1.23ms`), in milliseconds.
    private static func latency(_ percentile: String, in output: String) -> Double? {
        guard let line = output.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(percentile) }),
            let text = line.split(separator: " ", omittingEmptySubsequences: true).last
        else { return nil }
        let units: [(String, Double)] = [("us", 0.001), ("ms", 1), ("s", 1000), ("m", 60_000)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            return Double(text.dropLast(suffix.count)).map { $0 * scale }
        }
        return nil
    }
}
