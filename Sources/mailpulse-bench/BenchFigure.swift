import Foundation

/// One row of the benchmark table: a median over the runs, beside a baseline measured in the same run.
struct BenchFigure {
    var name: String
    var unit: String
    var samples: [Double]
    var baselineName: String
    var baselineSamples: [Double]
    var target: String

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    var median: Double { Self.median(self.samples) }
    var baseline: Double { Self.median(self.baselineSamples) }

    /// A Markdown table row.
    var row: String {
        let ratio = self.baseline == 0 ? "—" : String(format: "%.2f", self.median / self.baseline)
        return
            "| \(self.name) | \(Self.format(self.median)) \(self.unit) | \(self.baselineName): \(Self.format(self.baseline)) | \(ratio) | \(self.target) |"
    }

    static func format(_ value: Double) -> String {
        value >= 100 ? String(format: "%.0f", value) : String(format: "%.3f", value)
    }
}
