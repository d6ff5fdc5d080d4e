import Foundation

extension AllocationPlot {
    /// The loss-envelope figure (Hoffmann et al. 2022, Figure 2): every training curve's loss
    /// against C = 6·N·D on log–log axes, one colour per model size; the envelope at each
    /// budget marked, black where used and grey where flagged (its winner the smallest or
    /// largest size covering the budget). Below, N_opt against C (`optimaPanel`) with
    /// `compute` marked.
    package static func envelope(_ fit: LossEnvelope, compute: Double, title: String) -> PlotFigure {
        var series: [PlotSeries] = [], legend: [PlotLegendEntry] = []
        let sizes = Array(Set(fit.data.curves.map(\.parameters))).sorted()
        let curves = fit.data.curves.sorted { ($0.parameters, $0.name) < ($1.parameters, $1.name) }
        for curve in curves {
            let i = sizes.firstIndex(of: curve.parameters)!
            series.append(.line(x: curve.compute, y: curve.loss, color: .series(i), width: 1.3))
        }
        for (i, n) in sizes.enumerated() {
            legend.append(PlotLegendEntry(label: "N = \(label(n, TickLabel.si))", color: .series(i), line: .solid))
        }
        let used = fit.points.filter(\.isUsed), flagged = fit.points.filter { !$0.isUsed }
        if !flagged.isEmpty {
            series.append(.points(x: flagged.map(\.compute), y: flagged.map(\.loss), color: .gray, size: 2.6))
        }
        series.append(.points(x: used.map(\.compute), y: used.map(\.loss), color: .black, size: 2.8))
        legend.append(PlotLegendEntry(label: "envelope (used)", color: .black, marker: .circle))
        if !flagged.isEmpty {
            legend.append(PlotLegendEntry(label: "envelope at an edge size (\(flagged.count), not used)", color: .gray, marker: .circle))
        }
        let top = PlotPanel(yAxis: PlotAxis(label: "loss", scale: .log10), series: series, legend: legend)
        let bottom = optimaPanel(compute: used.map(\.compute), parameters: used.map(\.parameters), law: fit.law,
                                 bootstrap: fit.bootstrap, budget: compute, pointsLabel: "envelope N_opt(C)")
        return PlotFigure(title: title,
                          subtitle: subtitle(law: fit.law, bootstrap: fit.bootstrap, used: fit.used, budgets: fit.points.count, compute: compute),
                          xAxis: PlotAxis(label: "compute C = 6ND (FLOPs)", scale: .log10, tickLabels: .scientific), panels: [top, bottom], width: figureWidth)
    }
}
