import Foundation

extension AllocationPlot {
    /// The IsoFLOP figure (Hoffmann et al. 2022, Figure 3): the final loss of every run
    /// against N on a log axis, one colour per used budget with its parabola in ln N drawn
    /// over the budget's N range (`lineSamples` log-spaced points) and its minimum
    /// (N_opt, L_min) marked by a black diamond; the runs of flagged budgets in grey, points
    /// only. Below, N_opt against C (`optimaPanel`) with `compute` marked.
    package static func isoflop(_ fit: IsoFLOPProfiles, compute: Double, title: String) -> PlotFigure {
        var series: [PlotSeries] = [], legend: [PlotLegendEntry] = []
        var minimaN: [Double] = [], minimaL: [Double] = [], flaggedN: [Double] = [], flaggedL: [Double] = []
        let runs = fit.runs
        for p in fit.profiles where !p.isUsed {
            flaggedN += p.runs.map { runs.parameters[$0] }
            flaggedL += p.runs.map { runs.loss[$0] }
        }
        if !flaggedN.isEmpty {
            series.append(.points(x: flaggedN, y: flaggedL, color: .gray, size: 2.6))
        }
        for (u, p) in fit.profiles.filter(\.isUsed).enumerated() {
            let x = PowerLawPlot.logSpaced(p.parameterRange.lower...p.parameterRange.upper, count: lineSamples)
            series.append(.line(x: x, y: x.map(p.parabola.loss(parameters:)), color: .series(u), width: 1.3))
            series.append(.points(x: p.runs.map { runs.parameters[$0] }, y: p.runs.map { runs.loss[$0] },
                                  color: .series(u), marker: .series(u), size: 3.2))
            legend.append(PlotLegendEntry(label: "C = \(label(p.compute, TickLabel.scientific))", color: .series(u),
                                          marker: .series(u), line: .solid))
            minimaN.append(p.parabola.optimalParameters!)
            minimaL.append(p.parabola.minimumLoss!)
        }
        series.append(.points(x: minimaN, y: minimaL, color: .black, marker: .diamond, size: 4))
        legend.append(PlotLegendEntry(label: "parabola minimum", color: .black, marker: .diamond))
        if !flaggedN.isEmpty {
            legend.append(PlotLegendEntry(label: "flagged budgets (\(fit.flagged), not used)", color: .gray, marker: .circle))
        }
        let used = fit.profiles.filter(\.isUsed)
        let top = PlotPanel(yAxis: PlotAxis(label: "final loss"), series: series, legend: legend)
        let bottom = optimaPanel(compute: used.map(\.compute), parameters: minimaN, law: fit.law, bootstrap: fit.bootstrap,
                                 budget: compute, pointsLabel: "budget minima N_opt(C)")
        return PlotFigure(title: title,
                          subtitle: subtitle(law: fit.law, bootstrap: fit.bootstrap, used: fit.used, budgets: fit.profiles.count, compute: compute),
                          xAxis: PlotAxis(label: "parameters N", scale: .log10, tickLabels: .si), panels: [top, bottom], width: figureWidth)
    }
}
