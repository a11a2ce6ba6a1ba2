import Foundation
import MailpulseCore

/// `make bench`: the figures of the sync engine against graph-sim on loopback, each a median over the runs beside a
/// baseline measured in the same run. Prints a Markdown table and writes it to `bench/results.md`.
@main
enum MailpulseBench {
    static func main() async throws {
        let settings = try BenchSettings(environment: ProcessInfo.processInfo.environment)
        var table = BenchTable()
        let started = ContinuousClock.now
        for run in 1...settings.runs {
            var webhookLatency: Double?
            for benchmark in BenchSettings.benchmarks where settings.includes(benchmark) {
                Self.progress("run \(run) of \(settings.runs): \(benchmark)…")
                let figures: [BenchFigure]
                switch benchmark {
                case "sync": figures = try await SyncBench.run(settings, run: run)
                case "changes":
                    let outcome = try await ChangeBench.run(settings, run: run)
                    webhookLatency = outcome.latencyP50
                    figures = outcome.figures
                case "intake": figures = try await IntakeBench.run(settings, run: run)
                case "throttle": figures = try await ThrottleBench.run(settings, run: run)
                case "polling": figures = try await PollingBench.run(settings, run: run, webhookLatency: webhookLatency)
                case "convergence": figures = try await ConvergenceBench.run(settings, run: run)
                case "imap": figures = try await IMAPBench.run(settings, run: run)
                case "scale": figures = try await ScaleBench.run(settings, run: run)
                case "cluster": figures = try await ClusterBench.run(settings, run: run)
                default: figures = try await SecurityBench.run(settings, run: run)
                }
                table.add(figures)
                for figure in figures { Self.progress("  \(figure.row)") }
            }
        }
        try Self.report(table.figures, settings: settings, minutes: (ContinuousClock.now - started).timeInterval / 60)
    }

    static func report(_ figures: [BenchFigure], settings: BenchSettings, minutes: Double) throws {
        let machine = [
            Self.shell("uname -srm"),
            Self.shell("nproc") + " cores",
            Self.shell("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").trimmingCharacters(in: .whitespaces),
            Self.shell("free -g | awk '/Mem:/ {print $2}'") + " GiB",
        ].joined(separator: ", ")
        var lines = [
            "# Benchmark results",
            "",
            "`make bench` on \(Date().formatted(.iso8601)) (\(String(format: "%.0f", minutes)) min); \(machine); medians of \(settings.runs) runs;",
            "release build; graph-sim, the service, Redis and SQLite on loopback; wrk \(Self.shell("wrk --version 2>&1 | head -1 | cut -d' ' -f2")) as the",
            "load generator. Ratio = figure ÷ baseline.",
            "",
            "| figure | median | baseline (same run) | ratio | target |",
            "|---|---|---|---|---|",
        ]
        lines += figures.map(\.row)
        let text = lines.joined(separator: "\n") + "\n"
        print(text)
        try FileManager.default.createDirectory(atPath: "bench", withIntermediateDirectories: true)
        try text.write(toFile: "bench/results.md", atomically: true, encoding: .utf8)
    }

    /// A line on standard error, which is unbuffered, so progress shows as it happens even when the output is a file.
    static func progress(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static func shell(_ command: String) -> String {
        ((try? BenchProcess.output(of: ["sh", "-c", command])) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
