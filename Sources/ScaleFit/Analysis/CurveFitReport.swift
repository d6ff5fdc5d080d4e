import Foundation

/// What a loss-curve fit report shows: the law, the objective reached, the parameters with
/// standard errors, and for each curve its metrics (`LossCurveMetrics`) and residuals.
///
/// Used both for the fitted curves (`role == .fitted`) and for curves predicted from the
/// fit and scored against their logs (`role == .scored`, a backtest).
package struct CurveFitReport: Sendable, Codable {
    /// Whether a curve was used to fit the parameters or only scored against the fit.
    package enum Role: String, Sendable, Codable {
        case fitted
        case scored
    }

    /// One logged point: where it came from, the observation, the fit and the residual.
    package struct Point: Sendable, Codable, Equatable {
        package var line: Int
        package var step: Int
        package var lr: Double
        package var observed: Double
        package var predicted: Double
        /// predicted − observed
        package var residual: Double
        /// (predicted − observed) / observed
        package var relativeResidual: Double
    }

    /// One curve's part of the report.
    package struct Curve: Sendable, Codable {
        package var name: String
        package var role: Role
        /// How η was obtained, in words.
        package var schedule: String
        package var firstStep: Int
        package var lastStep: Int
        package var metrics: LossCurveMetrics
        package var points: [Point]
    }

    package var law: String
    package var formula: String
    /// The objective's definition in words, and its value at the fit.
    package var objective: String
    package var objectiveValue: Double
    package var summary: FitSummary
    package var startsTried: Int
    package var startsConverged: Int
    package var startsPolished: Int
    /// Polished ends refined on the full problem after a polish on a reduced one (0: none).
    package var startsRefined: Int
    package var parameters: [ParameterEstimate]
    package var curves: [Curve]
    /// The mean of the metrics over the fitted curves, and over the scored ones (nil if none).
    package var fittedMean: LossCurveMetrics
    package var scoredMean: LossCurveMetrics?
    /// What makes the fit unsound (`FitDiagnostic` descriptions); empty when it is sound.
    package var diagnostics: [String]
    /// How often the scored curves' logged losses fall inside the 95% intervals (a backtest).
    package var coverage: Coverage?
    /// AIC, BIC, reduced χ² and the parameters' correlation (`FitStatistics`).
    package var statistics: FitStatistics

    /// The share of held-out points inside the 95% prediction interval and inside the 95%
    /// confidence band of the law's value.
    package struct Coverage: Sendable, Codable, Equatable {
        package var points: Int
        package var predictionInterval: Double
        package var confidenceBand: Double
        package init(points: Int, predictionInterval: Double, confidenceBand: Double) {
            self.points = points; self.predictionInterval = predictionInterval; self.confidenceBand = confidenceBand
        }

        /// The shares of `observed` inside each point's prediction interval and band (nil for no points).
        package init?(observed: [Double], intervals: [(lower: Double, upper: Double)], bands: [(lower: Double, upper: Double)]) {
            guard !observed.isEmpty, observed.count == intervals.count, observed.count == bands.count else { return nil }
            let inside = zip(observed, intervals).filter { $1.lower <= $0 && $0 <= $1.upper }.count
            let inBand = zip(observed, bands).filter { $1.lower <= $0 && $0 <= $1.upper }.count
            self.init(points: observed.count, predictionInterval: Double(inside) / Double(observed.count),
                      confidenceBand: Double(inBand) / Double(observed.count))
        }

        /// `coverage of the 74 held-out runs: 95% prediction interval 98.6%, 95% confidence band of the law's value 79.7%`.
        package func sentence(of what: String) -> String {
            let pct = { (x: Double) in formatSignificant(100 * x, digits: 3) + "%" }
            return "coverage of the \(points) \(what): 95% prediction interval \(pct(predictionInterval)), 95% confidence band of the law's value \(pct(confidenceBand))"
        }
    }

    /// The report of `fit` (a curve law fitted to `fitted`), scoring `scored` too: the
    /// parameters, objective, search counts, diagnostics and statistics are the fit's.
    ///
    /// - Parameters:
    ///   - fitted, scored: the curves, each with its source lines (`lines[i]` parallel to the
    ///     curve's steps) and its schedule in words.
    /// - Throws: `invalidData` for a fit read from a file (it has no solver summary or statistics).
    package init<L: Law & LossCurveLaw>(_ fit: Fit<L>, fitted: [(curve: LossCurve, lines: [Int], schedule: String)],
                                        scored: [(curve: LossCurve, lines: [Int], schedule: String)] = []) throws {
        guard let summary = fit.summary, let statistics = fit.statistics else {
            throw ScaleFitError.invalidData(file: fit.data.file, reason: "a curve-fit report needs the fit itself, not one read from a file")
        }
        let law = fit.law
        self.law = L.identifier
        formula = law.formula
        let count = fitted.reduce(0) { $0 + $1.curve.steps.count }
        let loss = law.loss
        objective = "sum over \(count) points of \(loss.spec == "l2" ? "0.5*r^2" : "rho_\(loss.spec)(r^2)/2"), r = log(predicted) - log(observed)"
        objectiveValue = fit.objective
        self.summary = summary
        startsTried = fit.search.startsTried
        startsConverged = fit.search.startsConverged
        startsPolished = fit.search.startsPolished
        startsRefined = fit.search.startsRefined
        parameters = fit.estimates
        func curve(_ item: (curve: LossCurve, lines: [Int], schedule: String), _ role: Role) -> Curve {
            let c = item.curve
            let predicted = law.predict(rates: c.rates, steps: c.steps, parameters: fit.parameters)
            let points = c.steps.indices.map { j in
                Point(line: item.lines[j], step: c.steps[j], lr: c.rates[c.steps[j]], observed: c.losses[j],
                      predicted: predicted[j], residual: predicted[j] - c.losses[j],
                      relativeResidual: (predicted[j] - c.losses[j]) / c.losses[j])
            }
            return Curve(name: c.name, role: role, schedule: item.schedule, firstStep: c.steps.first!,
                         lastStep: c.steps.last!, metrics: LossCurveMetrics(observed: c.losses, predicted: predicted),
                         points: points)
        }
        curves = fitted.map { curve($0, .fitted) } + scored.map { curve($0, .scored) }
        fittedMean = LossCurveMetrics.average(curves.filter { $0.role == .fitted }.map(\.metrics))
        let scoredMetrics = curves.filter { $0.role == .scored }.map(\.metrics)
        scoredMean = scoredMetrics.isEmpty ? nil : LossCurveMetrics.average(scoredMetrics)
        diagnostics = fit.diagnostics.map(\.description)
        self.statistics = statistics
    }
}
