import Foundation

/// The optimal-schedule figure: the optimum's, the best WSD's and the cosine's learning
/// rates in the upper panel, and the law's predicted loss curves under each below (from the
/// end of the warmup, at 400 steps spread evenly; the final losses in the legend).
package struct OptimalSchedulePlot: Sendable {
    package var result: OptimalSchedule
    package var law: any CurveFittingLaw
    package var parameters: [Double]

    package init(_ result: OptimalSchedule, law: any CurveFittingLaw, parameters: [Double]) {
        self.result = result
        self.law = law
        self.parameters = parameters
    }

    package func figure() -> PlotFigure {
        let c = result.constraints
        let first = max(c.warmup, 1), last = c.steps - 1
        let count = min(400, last - first + 1)
        let steps = Array(Set((0..<count).map { first + Int((Double($0) * Double(last - first) / Double(max(count - 1, 1))).rounded()) })).sorted()
        let x = steps.map(Double.init)
        let schedules: [(String, [Double], Double)] = [
            ("optimal (\(result.family.rawValue))", result.rates, result.finalLoss.value),
            ("best WSD", result.bestWSD.schedule.rates(count: c.steps), result.bestWSD.finalLoss.value),
            ("cosine", result.cosine.schedule.rates(count: c.steps), result.cosine.finalLoss.value),
        ]
        var rates: [PlotSeries] = [], losses: [PlotSeries] = [], legend: [PlotLegendEntry] = []
        for (i, (name, eta, final)) in schedules.enumerated() {
            let color = PlotColor.series(i)
            let thinned = Self.thinned(eta)
            rates.append(.line(x: thinned.map { Double($0) }, y: thinned.map { eta[$0] }, color: color, width: 1.4))
            losses.append(.line(x: x, y: law.predict(rates: eta, steps: steps, parameters: parameters), color: color))
            legend.append(PlotLegendEntry(label: "\(name): \(formatSignificant(final, digits: 6))", color: color, line: .solid))
        }
        let top = PlotPanel(yAxis: PlotAxis(label: "learning rate", tickLabels: .scientific), series: rates, legend: legend)
        let bottom = PlotPanel(yAxis: PlotAxis(label: "predicted loss"), series: losses, relativeHeight: 0.8)
        return PlotFigure(title: "Optimal learning-rate schedule (\(law.identifier) law)",
                          subtitle: "T = \(c.steps), peak \(c.peak), warmup \(c.warmup), min lr \(c.minimumRate); \(result.shape.description)",
                          xAxis: PlotAxis(label: "step", tickLabels: .si), panels: [top, bottom])
    }

    /// The steps where η changes and their neighbours, plus the ends: a staircase stays sharp
    /// and a 10⁵-step schedule stays a small SVG (at most ~2,000 points, a smooth decay thinned evenly).
    static func thinned(_ eta: [Double]) -> [Int] {
        var keep: Set<Int> = [0, eta.count - 1]
        let stride = max(1, eta.count / 2000)
        for j in 1..<eta.count where eta[j] != eta[j - 1] && (j % stride == 0 || abs(eta[j] - eta[j - 1]) > 1e-3 * abs(eta[j - 1])) {
            keep.insert(j - 1); keep.insert(j)
        }
        return keep.sorted()
    }
}
