import Foundation

/// One row of the benchmark table: a median over the runs, beside a baseline measured in the same run.
struct BenchFigure {
    var name: String
    var unit: String
    var samples: [Double]
    var baselineName: String
    var baselineSamples: [Double]
    var target: String
    /// Whether figure ÷ baseline means something (not when they measure different things, as memory per account
    /// beside the node's).
    var hasRatio: Bool

    /// One run's figure and its baseline.
    init(
        _ name: String,
        _ value: Double,
        unit: String,
        baseline baselineName: String,
        _ baseline: Double,
        target: String,
        hasRatio: Bool = true
    ) {
        self.name = name
        self.unit = unit
        self.samples = [value]
        self.baselineName = baselineName
        self.baselineSamples = [baseline]
        self.target = target
        self.hasRatio = hasRatio
    }

    static func median(_ values: [Double]) -> Double {
        Self.percentile(values, 50)
    }

    /// The nearest-rank percentile `p` (0–100) of `values`.
    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        if p == 50 && sorted.count % 2 == 0 {
            return (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    var median: Double { Self.median(self.samples) }
    var baseline: Double { Self.median(self.baselineSamples) }

    /// A Markdown table row.
    var row: String {
        let ratio = !self.hasRatio || self.baseline == 0 || self.baseline.isNaN ? "—" : String(format: "%.2f", self.median / self.baseline)
        return
            "| \(self.name) | \(Self.format(self.median)) \(self.unit) | \(self.baselineName): \(Self.format(self.baseline)) | \(ratio) | \(self.target) |"
    }

    static func format(_ value: Double) -> String {
        if value.isNaN { return "—" }
        if value >= 10_000 { return value.formatted(.number.precision(.fractionLength(0))) }
        if value >= 100 { return String(format: "%.0f", value) }
        return value >= 10 ? String(format: "%.1f", value) : String(format: "%.3f", value)
    }
}
