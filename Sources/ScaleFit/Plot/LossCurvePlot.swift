/// The loss-curve figure: loss against step for one or more training curves, with the
/// observed losses as markers, the fitted law as a solid line, an optional predicted
/// continuation as a dashed line, the residuals (fitted − observed, or predicted − observed
/// for a curve predicted at its logged steps) in a panel below, and
/// the learning-rate schedules in a bottom panel. Colour identifies the curve.
///
/// ```swift
/// let curve = try LossCurve(name: "cosine", schedule: cosine, steps: steps, losses: losses)
/// let fitted = law.predict(schedule: cosine, steps: steps, parameters: fit.parameters)
/// let plot = try LossCurvePlot(curves: [.init(curve: curve, fitted: fitted)])
/// let svg = plot.figure(title: "Multi-power law", subtitle: PlotTitle.values(names: fit.parameterNames, values: fit.parameters)).svg()
/// ```
package struct LossCurvePlot: Sendable, Equatable {
    /// One curve's data, all in the units of the log (steps, nats per token, η).
    package struct Curve: Sendable, Equatable {
        package var name: String
        /// The logged steps, with `observed` (may be empty) and `fitted` (empty, or one
        /// value per step: the law at that step).
        package var steps: [Double]
        package var observed: [Double]
        package var fitted: [Double]
        /// Where the law is extrapolated, drawn dashed (empty for none).
        package var predictionSteps: [Double]
        package var predicted: [Double]
        /// η at steps 0, 1, …, `rates.count − 1` (empty: no learning-rate line).
        package var rates: [Double]

        package init(name: String, steps: [Double], observed: [Double], fitted: [Double] = [],
                    predictionSteps: [Double] = [], predicted: [Double] = [], rates: [Double] = []) {
            self.name = name
            self.steps = steps
            self.observed = observed
            self.fitted = fitted
            self.predictionSteps = predictionSteps
            self.predicted = predicted
            self.rates = rates
        }

        /// A fitted `LossCurve`: its steps, losses and schedule, with the law's values at
        /// its steps and, optionally, a prediction beyond them.
        package init(curve: LossCurve, fitted: [Double], predictionSteps: [Int] = [], predicted: [Double] = []) {
            self.init(name: curve.name, steps: curve.steps.map(Double.init), observed: curve.losses, fitted: fitted,
                      predictionSteps: predictionSteps.map(Double.init), predicted: predicted, rates: curve.rates)
        }
    }

    package var curves: [Curve]
    /// The loss axis range; nil for the data's range (useful to leave out the first steps).
    package var lossRange: ClosedRange<Double>?
    /// At most this many markers (and residuals) per curve, evenly spaced in index, so a
    /// log of 10⁵ steps stays readable; lines always use every value.
    package var maxMarkers: Int

    /// Checks that every curve's `observed` and `fitted` have one value per step (or none)
    /// and `predicted` one per prediction step; the error names the curve.
    package init(curves: [Curve], lossRange: ClosedRange<Double>? = nil, maxMarkers: Int = 150) throws {
        for c in curves {
            for (what, values, count) in [("observed", c.observed, c.steps.count), ("fitted", c.fitted, c.steps.count),
                                          ("predicted", c.predicted, c.predictionSteps.count)]
                where !values.isEmpty && values.count != count {
                throw ScaleFitError.dimensionMismatch(expected: "\(count) \(what) values for curve \"\(c.name)\"",
                                                      found: "\(values.count)")
            }
        }
        self.curves = curves
        self.lossRange = lossRange
        self.maxMarkers = max(2, maxMarkers)
    }

    /// The figure: a loss panel, a residual panel when some curve has both observed and
    /// fitted values, and a learning-rate panel when some curve has rates.
    package func figure(title: String, subtitle: String? = nil) -> PlotFigure {
        var main: [PlotSeries] = [], residuals: [PlotSeries] = [], rates: [PlotSeries] = []
        var legend: [PlotLegendEntry] = []
        for (i, c) in curves.enumerated() {
            let color = PlotColor.series(i), marker = MarkerShape.series(i)
            let shown = Self.thinned(c.steps.count, to: maxMarkers)
            if !c.observed.isEmpty {
                main.append(.points(x: shown.map { c.steps[$0] }, y: shown.map { c.observed[$0] }, color: color,
                                    marker: marker, size: 2))
            }
            if !c.fitted.isEmpty { main.append(.line(x: c.steps, y: c.fitted, color: color)) }
            if !c.predicted.isEmpty { main.append(.line(x: c.predictionSteps, y: c.predicted, color: color, style: .dashed)) }
            // Residuals of the fit, or of the prediction where it was made at the logged steps.
            let reference = !c.fitted.isEmpty ? c.fitted : (c.predictionSteps == c.steps ? c.predicted : [])
            if !c.observed.isEmpty, !reference.isEmpty {
                residuals.append(.points(x: shown.map { c.steps[$0] }, y: shown.map { reference[$0] - c.observed[$0] },
                                         color: color, marker: marker, size: 1.8))
            }
            if !c.rates.isEmpty {
                rates.append(.line(x: c.rates.indices.map(Double.init), y: c.rates, color: color, width: 1.3))
            }
            legend.append(PlotLegendEntry(label: c.name, color: color, marker: c.observed.isEmpty ? nil : marker,
                                          line: !c.fitted.isEmpty ? .solid : (c.predicted.isEmpty ? nil : .dashed)))
        }
        if curves.contains(where: { !$0.predicted.isEmpty }) {
            legend.append(PlotLegendEntry(label: "prediction", color: .gray, line: .dashed))
        }
        var panels = [PlotPanel(yAxis: PlotAxis(label: "loss", range: lossRange), series: main, legend: legend)]
        if !residuals.isEmpty {
            panels.append(PlotPanel(yAxis: PlotAxis(label: "model − obs", symmetric: true), series: residuals,
                                    referenceY: 0, relativeHeight: 0.3))
        }
        if !rates.isEmpty {
            panels.append(PlotPanel(yAxis: PlotAxis(label: "learning rate", tickLabels: .scientific), series: rates,
                                    relativeHeight: 0.3))
        }
        return PlotFigure(title: title, subtitle: subtitle, xAxis: PlotAxis(label: "step", tickLabels: .si), panels: panels)
    }

    /// `limit` indices spread evenly over 0..<count (all of them if count ≤ limit),
    /// first and last included.
    static func thinned(_ count: Int, to limit: Int) -> [Int] {
        guard count > limit else { return Array(0..<count) }
        return (0..<limit).map { k in Int((Double(k) * Double(count - 1) / Double(limit - 1)).rounded()) }
    }
}
