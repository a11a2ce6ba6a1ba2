import Foundation
import GraphSimulator
import TestSupport
import Testing

@Suite struct FootprintTests {
    /// The graph-sim executable built beside the test bundle, when there is one.
    static var executable: URL? {
        let url = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("graph-sim")
        return FileManager.default.isExecutableFile(atPath: url.path) ? url : nil
    }

    @Test(.enabled(if: executable != nil, "needs the graph-sim executable (swift build --build-tests builds it)"))
    func aHundredThousandMessagesOverAHundredMailboxesStayUnder500MB() async throws {
        let port = try TestEnvironment.freePort()
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["--port", "\(port)", "--log-level", "error"]
        try TestEnvironment.launch(process)
        defer {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let graph = GraphClient(base: "http://127.0.0.1:\(port)")
        let deadline = ContinuousClock.now + .seconds(10)
        while (try? await graph.send("GET", "/health"))?.status != 200, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        for index in 0..<100 {
            _ = try await graph.createMailbox("user\(index)@outlook.com", messages: 1000, seed: index)
        }
        let total = try await graph.send("GET", "/sim/mailboxes").json.arrayValue?.compactMap { $0["messages"]?.numberValue }.reduce(0, +)
        #expect(total == 100_000)
        let status = try String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
        let kilobytes = try #require(Int(line.split(separator: " ").dropFirst().first { !$0.isEmpty }.map(String.init) ?? ""))
        #expect(kilobytes < 500 * 1024, "graph-sim holds \(kilobytes / 1024) MB resident")
    }
}
