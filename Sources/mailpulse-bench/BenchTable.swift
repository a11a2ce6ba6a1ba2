/// The figures of every run, in the order they were first measured; a figure measured again adds a sample.
struct BenchTable {
    private(set) var figures: [BenchFigure] = []

    mutating func add(_ figures: [BenchFigure]) {
        for figure in figures {
            if let index = self.figures.firstIndex(where: { $0.name == figure.name }) {
                self.figures[index].samples += figure.samples
                self.figures[index].baselineSamples += figure.baselineSamples
            } else {
                self.figures.append(figure)
            }
        }
    }
}
