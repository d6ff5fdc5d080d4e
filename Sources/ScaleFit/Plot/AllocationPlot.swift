import Foundation

/// The figures of Hoffmann et al.'s (2022) two-stage allocation fits, approach 2
/// (`isoflop(_:compute:title:)`) and approach 1 (`envelope(_:compute:title:)`): the first
/// stage in the upper panel, and below it, on its own log–log axes, the second:
///
/// ```
/// lower panel   the first stage's optima (C_g, N_opt(C_g)) as points,
///               the fitted N_opt = k·C^a over them and out to the requested budget,
///               the bootstrap's 95% band of k·C^a (2.5–97.5% of exp(ln k_r + a_r·ln C) over the draws),
///               and N*(C) at the requested budget, with its 95% interval
/// ```
///
/// Everything comes from the fit value (no refit), so the same fit gives the same bytes.
package enum AllocationPlot {
    /// The figures' width in px: wider than the default 640, for a budget legend beside the upper panel.
    static let figureWidth = 760.0
    /// Points along the fitted line and the band.
    static let lineSamples = 60

    /// The lower panel: the optima, the fitted power law, its band and the budget `compute`.
    /// `pointsLabel` names the optima in the legend.
    static func optimaPanel(compute c: [Double], parameters n: [Double], law: AllocationPowerLaw,
                            bootstrap: AllocationBootstrap?, budget: Double, pointsLabel: String) -> PlotPanel {
        let lo = (c + [budget]).min()!, hi = (c + [budget]).max()!
        let x = PowerLawPlot.logSpaced(lo < hi ? lo...hi : (lo / 2)...(hi * 2), count: lineSamples)
        var series: [PlotSeries] = [], legend: [PlotLegendEntry] = []
        let a = formatSignificant(law.a, digits: 3)
        if let b = bootstrap, !b.draws.isEmpty {
            let edges = x.map { cx -> (Double, Double) in
                let i = b.interval("N") { exp($0[0] + $0[1] * log(cx)) }
                return (i.lower, i.upper)
            }
            series.append(.band(x: x, lower: edges.map(\.0), upper: edges.map(\.1), color: .series(0)))
        }
        series.append(.line(x: x, y: x.map(law.parameters(compute:)), color: .series(0)))
        legend.append(PlotLegendEntry(label: "N_opt = k·C^a, a = \(a)", color: .series(0), line: .solid))
        if series.count == 2 { legend.append(PlotLegendEntry(label: "95% bootstrap band", color: .series(0), band: true)) }
        series.append(.points(x: c, y: n, color: .black, size: 3.2))
        legend.append(PlotLegendEntry(label: pointsLabel, color: .black, marker: .circle))
        let star = law.parameters(compute: budget)
        if let i = bootstrap?.allocationIntervals(compute: budget)?[0] {
            series.append(.line(x: [budget, budget], y: [i.lower, i.upper], color: .series(1), width: 1.4))
        }
        series.append(.points(x: [budget], y: [star], color: .series(1), marker: .diamond, size: 4.5))
        legend.append(PlotLegendEntry(label: "N* = \(TickLabel.si(star)) at C = \(TickLabel.scientific(budget))",
                                      color: .series(1), marker: .diamond))
        return PlotPanel(yAxis: PlotAxis(label: "N_opt", scale: .log10, tickLabels: .si), series: series, legend: legend,
                         relativeHeight: 0.8, xAxis: PlotAxis(label: "compute C (FLOPs)", scale: .log10, tickLabels: .scientific))
    }

    /// The subtitle: a and b with the bootstrap's 95% intervals, the budgets used, and N*, D* at `compute`.
    static func subtitle(law: AllocationPowerLaw, bootstrap: AllocationBootstrap?, used: Int, budgets: Int, compute: Double) -> String {
        let intervals = bootstrap.flatMap { $0.draws.isEmpty ? nil : $0.exponentIntervals }
        func exponent(_ name: String, _ value: Double, _ i: Bootstrap.Interval?) -> String {
            "\(name) = \(formatSignificant(value, digits: 3))" + (i.map { " (95% \(formatSignificant($0.lower, digits: 3))–\(formatSignificant($0.upper, digits: 3)))" } ?? "")
        }
        let o = law.allocation(compute: compute)
        return [exponent("a", law.a, intervals?[0]), exponent("b", law.b, intervals?[1]), "\(used) of \(budgets) budgets used",
                "at \(TickLabel.scientific(compute)) FLOPs N* = \(TickLabel.si(o.parameters))",
                "D* = \(TickLabel.si(o.tokens))"].joined(separator: ", ")
    }

    /// A budget or size as a legend writes it: two significant digits.
    static func label(_ value: Double, _ format: (Double) -> String) -> String {
        format(TickLabel.roundSignificant(value, digits: 2))
    }
}
