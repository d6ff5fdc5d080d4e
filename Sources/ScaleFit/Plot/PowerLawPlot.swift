import Foundation

/// The power-law figure: final loss against model size N (or compute) on log–log axes,
/// one colour per group of runs (a token count, a compute budget, a tokens-per-parameter
/// ratio), the fitted law's line for each group, the compute-optimal frontier in black, an
/// optional band (e.g. a bootstrap interval), and the residuals (fitted − observed) below.
///
/// ```swift
/// let plot = try PowerLawPlot(groups: [
///     .init(name: "D = 20B", x: [7e7, 4e8], observed: [3.4, 2.9], fitted: [3.38, 2.92],
///           lawX: [5e7, 1e9], lawLoss: [3.5, 2.7]),
/// ], frontierX: [5e7, 1e9], frontierLoss: [3.3, 2.6])
/// let svg = plot.figure(title: "Chinchilla").svg()
/// ```
package struct PowerLawPlot: Sendable, Equatable {
    /// One group of runs with its law line.
    package struct Group: Sendable, Equatable {
        package var name: String
        /// The runs' x (parameters N, or compute C), observed final loss and the law's
        /// value at each run (empty: no residuals).
        package var x: [Double]
        package var observed: [Double]
        package var fitted: [Double]
        /// The law's line for this group.
        package var lawX: [Double]
        package var lawLoss: [Double]

        package init(name: String, x: [Double], observed: [Double], fitted: [Double] = [], lawX: [Double] = [],
                    lawLoss: [Double] = []) {
            self.name = name
            self.x = x
            self.observed = observed
            self.fitted = fitted
            self.lawX = lawX
            self.lawLoss = lawLoss
        }
    }

    package var groups: [Group]
    /// The compute-optimal frontier as a line (empty for none).
    package var frontierX: [Double]
    package var frontierLoss: [Double]
    /// A translucent band (empty for none) and its legend text.
    package var bandX: [Double]
    package var bandLower: [Double]
    package var bandUpper: [Double]
    package var bandLabel: String
    /// The x axis label; one that contains "FLOP" gets scientific tick labels (`1e21`),
    /// any other SI ones (`70M`, `1.3B`).
    package var xLabel: String
    /// Prefix of each group's legend text, e.g. "tokens" or "compute" (may be empty).
    package var groupHeading: String

    /// Checks that every array has its partner's length; the error names the group.
    package init(groups: [Group], frontierX: [Double] = [], frontierLoss: [Double] = [], bandX: [Double] = [],
                bandLower: [Double] = [], bandUpper: [Double] = [], bandLabel: String = "95% bootstrap band",
                xLabel: String = "parameters N", groupHeading: String = "") throws {
        func check(_ what: String, _ a: [Double], _ b: [Double], optional: Bool = false) throws {
            if a.count != b.count && !(optional && b.isEmpty) {
                throw ScaleFitError.dimensionMismatch(expected: "\(a.count) values for \(what)", found: "\(b.count)")
            }
        }
        for g in groups {
            try check("the observed losses of group \"\(g.name)\"", g.x, g.observed)
            try check("the fitted losses of group \"\(g.name)\"", g.x, g.fitted, optional: true)
            try check("the law line of group \"\(g.name)\"", g.lawX, g.lawLoss)
        }
        try check("the frontier", frontierX, frontierLoss)
        try check("the band's lower edge", bandX, bandLower)
        try check("the band's upper edge", bandX, bandUpper)
        self.groups = groups
        self.frontierX = frontierX
        self.frontierLoss = frontierLoss
        self.bandX = bandX
        self.bandLower = bandLower
        self.bandUpper = bandUpper
        self.bandLabel = bandLabel
        self.xLabel = xLabel
        self.groupHeading = groupHeading
    }

    /// The figure. The axes span the runs (and the frontier and band inside their N
    /// range), so a law line that climbs steeply away from its group is cut at the frame.
    package func figure(title: String, subtitle: String? = nil) -> PlotFigure {
        let xAxis = PlotAxis(label: xLabel, scale: .log10, tickLabels: xLabel.contains("FLOP") ? .scientific : .si,
                             range: PlotLayout.domain(of: groups.flatMap(\.x), axis: PlotAxis(label: "", scale: .log10)))
        let xr = xAxis.range!
        func inRange(_ x: [Double], _ y: [Double]) -> [Double] { zip(x, y).filter { xr.contains($0.0) }.map(\.1) }
        let yValues = groups.flatMap { $0.observed + $0.fitted } + inRange(frontierX, frontierLoss)
            + inRange(bandX, bandLower) + inRange(bandX, bandUpper)
        let yRange = PlotLayout.domain(of: yValues, axis: PlotAxis(label: "", scale: .log10))

        var main: [PlotSeries] = [], residuals: [PlotSeries] = [], legend: [PlotLegendEntry] = []
        if !bandX.isEmpty {
            main.append(.band(x: bandX, lower: bandLower, upper: bandUpper, color: .black))
        }
        for (i, g) in groups.enumerated() {
            if !g.lawX.isEmpty { main.append(.line(x: g.lawX, y: g.lawLoss, color: .series(i), width: 1.3)) }
        }
        if !frontierX.isEmpty { main.append(.line(x: frontierX, y: frontierLoss, color: .black, style: .dashed, width: 1.8)) }
        for (i, g) in groups.enumerated() {
            main.append(.points(x: g.x, y: g.observed, color: .series(i), marker: .series(i), size: 3.2))
            if !g.fitted.isEmpty {
                residuals.append(.points(x: g.x, y: zip(g.fitted, g.observed).map { $0 - $1 }, color: .series(i),
                                         marker: .series(i), size: 2.6))
            }
            let label = groupHeading.isEmpty ? g.name : "\(groupHeading) \(g.name)"
            legend.append(PlotLegendEntry(label: label, color: .series(i), marker: .series(i), line: g.lawX.isEmpty ? nil : .solid))
        }
        if !frontierX.isEmpty {
            legend.append(PlotLegendEntry(label: "compute-optimal frontier", color: .black, line: .dashed))
        }
        if !bandX.isEmpty { legend.append(PlotLegendEntry(label: bandLabel, color: .black, band: true)) }
        var panels = [PlotPanel(yAxis: PlotAxis(label: "loss", scale: .log10, range: yRange), series: main, legend: legend)]
        if !residuals.isEmpty {
            panels.append(PlotPanel(yAxis: PlotAxis(label: "fit − obs", symmetric: true), series: residuals, referenceY: 0,
                                    relativeHeight: 0.3))
        }
        return PlotFigure(title: title, subtitle: subtitle, xAxis: xAxis, panels: panels)
    }
}
