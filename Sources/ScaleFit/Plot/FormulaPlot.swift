import Foundation

/// The figure of a model fitted to points (a formula fit, a NIST StRD problem), in one of
/// two forms:
///
/// - one input variable x: the data against x, the model's curve(s) over the data's x
///   range (200 points), and the residuals (fitted − observed) against x below;
/// - several (or no) input variables: observed against fitted (a parity plot) with the
///   line y = x, and the residuals against fitted below.
///
/// An axis is logarithmic when every value it shows is positive and they span more than a
/// decade (`scale(for:)`), else linear; the parity plot gives both axes the same scale so
/// that y = x is the diagonal.
///
/// ```swift
/// let figure = try FormulaPlot.oneVariable(x: [1, 2, 4, 8], observed: [3.1, 2.4, 2.0, 1.8], fitted: [3.0, 2.5, 2.0, 1.8],
///                                          curves: [.init(name: "fit", x: grid, y: model(grid))], xLabel: "N", yLabel: "loss")
/// let svg = figure.figure(title: "loss ~ E + A*N^-alpha").svg()
/// ```
package struct FormulaPlot: Sendable, Equatable {
    /// A line of the model over x: its legend text, points and stroke.
    package struct Curve: Sendable, Equatable {
        package var name: String
        package var x: [Double]
        package var y: [Double]
        package var style: LineStyle

        package init(name: String, x: [Double], y: [Double], style: LineStyle = .solid) {
            self.name = name
            self.x = x
            self.y = y
            self.style = style
        }
    }

    /// The points' abscissa: the input variable, or the fitted values in a parity plot.
    package var x: [Double]
    package var observed: [Double]
    package var fitted: [Double]
    /// Lines over x (the model's curve, y = x in a parity plot).
    package var curves: [Curve]
    package var xLabel: String
    package var yLabel: String
    /// The scale of both axes in a parity plot; nil for one variable (each axis by its values).
    package var parityScale: AxisScale?

    /// How many points a model curve has across the data's x range.
    package static let curvePoints = 200

    /// Checks that `observed`, `fitted` and `x` have one value per point, and each curve one y per x.
    package init(x: [Double], observed: [Double], fitted: [Double], curves: [Curve], xLabel: String, yLabel: String,
                 parityScale: AxisScale? = nil) throws {
        guard x.count == observed.count, x.count == fitted.count else {
            throw ScaleFitError.dimensionMismatch(expected: "\(x.count) observed and fitted values",
                                                  found: "\(observed.count) and \(fitted.count)")
        }
        for c in curves where c.x.count != c.y.count {
            throw ScaleFitError.dimensionMismatch(expected: "\(c.x.count) values for the curve \"\(c.name)\"", found: "\(c.y.count)")
        }
        guard x.contains(where: \.isFinite) else {
            throw ScaleFitError.invalidData(file: "figure", reason: "no point with a finite \(xLabel) to plot")
        }
        self.x = x
        self.observed = observed
        self.fitted = fitted
        self.curves = curves
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.parityScale = parityScale
    }

    /// The one-variable figure: the points (x, observed), each curve, and residuals against x.
    package static func oneVariable(x: [Double], observed: [Double], fitted: [Double], curves: [Curve],
                                    xLabel: String, yLabel: String) throws -> FormulaPlot {
        try FormulaPlot(x: x, observed: observed, fitted: fitted, curves: curves, xLabel: xLabel, yLabel: yLabel)
    }

    /// The parity figure: observed against fitted with y = x across both, residuals against fitted.
    package static func parity(observed: [Double], fitted: [Double], label: String) throws -> FormulaPlot {
        let both = (observed + fitted).filter(\.isFinite)
        let scale = Self.scale(for: both)
        let lo = both.filter { scale == .linear || $0 > 0 }.min() ?? 0, hi = both.max() ?? 1
        return try FormulaPlot(x: fitted, observed: observed, fitted: fitted,
                               curves: [Curve(name: "y = x", x: [lo, hi], y: [lo, hi], style: .dashed)],
                               xLabel: "fitted \(label)", yLabel: "observed \(label)", parityScale: scale)
    }

    /// Logarithmic when every finite value is positive and the largest is more than ten
    /// times the smallest (a decade), else linear.
    package static func scale(for values: [Double]) -> AxisScale {
        let finite = values.filter(\.isFinite)
        guard let lo = finite.min(), let hi = finite.max(), lo > 0, hi / lo > 10 else { return .linear }
        return .log10
    }

    /// `curvePoints` values spanning `values`' range on `scale` (log-spaced on a log axis).
    package static func grid(over values: [Double], scale: AxisScale, count: Int = curvePoints) -> [Double] {
        let finite = values.filter { $0.isFinite && (scale == .linear || $0 > 0) }
        guard let lo = finite.min(), let hi = finite.max() else { return [] }
        guard hi > lo else { return [lo] }
        if scale == .log10 { return PowerLawPlot.logSpaced(lo...hi, count: count) }
        return (0..<count).map { lo + (hi - lo) * Double($0) / Double(count - 1) }
    }

    /// Tick labels: SI suffixes for large magnitudes (and tiny ones on a log axis), else plain decimals.
    static func tickLabels(_ values: [Double], scale: AxisScale) -> TickLabelStyle {
        let magnitudes = values.filter(\.isFinite).map(abs)
        let largest = magnitudes.max() ?? 0, smallest = magnitudes.filter { $0 > 0 }.min() ?? 1
        return largest >= 1e5 || (scale == .log10 && smallest < 1e-3) ? .si : .plain
    }

    /// The figure: the data and curves above, the residuals (fitted − observed) below.
    package func figure(title: String, subtitle: String? = nil) -> PlotFigure {
        let xScale = parityScale ?? Self.scale(for: x)
        let shown = observed + fitted
        let yScale = parityScale ?? Self.scale(for: shown)
        let xAxis = PlotAxis(label: xLabel, scale: xScale, tickLabels: Self.tickLabels(x, scale: xScale),
                             range: PlotLayout.domain(of: x, axis: PlotAxis(label: "", scale: xScale)))
        // The y range spans the data, so a curve that runs off beyond them is cut at the frame.
        let yRange = PlotLayout.domain(of: shown, axis: PlotAxis(label: "", scale: yScale))
        var main: [PlotSeries] = [], legend: [PlotLegendEntry] = []
        for (i, c) in curves.enumerated() {
            let color = parityScale == nil ? PlotColor.series(i + 1) : .gray
            main.append(.line(x: c.x, y: c.y, color: color, style: c.style, width: 1.4))
            legend.append(PlotLegendEntry(label: c.name, color: color, line: c.style))
        }
        main.append(.points(x: x, y: observed, color: .series(0), marker: .circle, size: 3))
        legend.insert(PlotLegendEntry(label: "data", color: .series(0), marker: .circle), at: 0)
        let residuals = PlotSeries.points(x: x, y: zip(fitted, observed).map { $0 - $1 }, color: .series(0),
                                          marker: .circle, size: 2.4)
        let panels = [
            PlotPanel(yAxis: PlotAxis(label: yLabel, scale: yScale, tickLabels: Self.tickLabels(shown, scale: yScale), range: yRange),
                      series: main, legend: legend),
            PlotPanel(yAxis: PlotAxis(label: "fit − obs", symmetric: true), series: [residuals], referenceY: 0, relativeHeight: 0.3),
        ]
        return PlotFigure(title: title, subtitle: subtitle, xAxis: xAxis, panels: panels)
    }
}

extension FormulaPlot {
    /// The figure of a formula fit over `data` (the rows it was fitted to, or any rows with
    /// its variables): with one input variable, the data against it and the fitted
    /// formula's curve; otherwise the parity plot. The variables are named as in the
    /// formula, `observedName` names the observed column.
    package init(fit: Fit<FormulaLaw>, data: FormulaData, observedName: String) throws {
        let residuals = try fit.law.residuals(data, parameters: fit.parameters)
        let fitted = zip(data.observed, residuals).map { $0 + $1 }
        guard data.inputs.count == 1, let name = fit.law.model.variableNames.first else {
            self = try Self.parity(observed: data.observed, fitted: fitted, label: observedName)
            return
        }
        let x = data.inputs[0]
        let grid = Self.grid(over: x, scale: Self.scale(for: x))
        let curve = try fit.law.model.values(inputs: [grid], parameters: fit.parameters)
        self = try Self.oneVariable(x: x, observed: data.observed, fitted: fitted,
                                    curves: [Curve(name: "fitted", x: grid, y: curve)], xLabel: name, yLabel: observedName)
    }
}
