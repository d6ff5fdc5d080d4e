import Foundation

/// A law fitted to data, for every law alike: the parameters with their standard errors,
/// covariance and correlation, the objective, the solver's summary and the search's counts,
/// the data summary, goodness of fit and diagnostics; `predict` with an interval, and
/// `save`/`load` as the versioned fit file.
///
/// ```swift
/// let runs = try ModelRuns(table: try RunTableReader.read(path: "runs.csv"))
/// let fit = try Fit(ChinchillaLaw(), to: runs)
/// fit.parameters; fit.standardErrors; fit.diagnostics   // [] when the fit is sound
/// try fit.predict([ModelSize(parameters: 7e10, tokens: 1.4e12)])[0].interval
/// ```
public struct Fit<L: Law>: Sendable {
    /// The law with its options.
    public var law: L
    /// θ, in the order of `law.parameterNames`.
    public var parameters: [Double]
    /// The scaled covariance of θ (σ̂²·(JᵀJ)⁺; Huber fits use the M-estimator's variance).
    public var covariance: Matrix
    /// √diag(covariance); +∞ for a parameter the data do not determine.
    public var standardErrors: [Double]
    /// ½·Σρ(rᵢ²) at θ (Σ Huber_δ(rᵢ) for a Huber fit).
    public var objective: Double
    /// The winning run's summary: whether and why it stopped, iterations, evaluations. Nil
    /// for a fit read from a file written without one.
    public var summary: FitSummary?
    /// How many starts the search tried, how many distinct ends it polished, how many of
    /// those converged.
    public var search: SearchCounts
    /// The file, rows used, rows dropped.
    public var data: FitFile.DataSummary
    /// Fitted against observed values; nil for a fit read from a file.
    public var goodness: GoodnessOfFit?
    /// What makes the fit unsound, if anything (see `FitDiagnostic`).
    public var diagnostics: [FitDiagnostic]
    /// The settings the fit file keeps (the law's, and what depends on the data).
    public var settings: [String: String]
    /// The input columns the fit file keeps (a formula's variables, the power law's x).
    public var variables: [String]?
    /// The bootstrap over runs, when one was made (`bootstrapped(…)`) or read back.
    public var bootstrap: Bootstrap?
    /// The scatter of a new observation about the law (`predictionNoise(_:)`), which
    /// widens `predict`'s band into a prediction interval; nil until estimated.
    public var noise: PredictionNoise?
    /// AIC, BIC, reduced χ² and the parameters' correlation, with names as reported
    /// (`FitStatistics`); nil for a fit read from a file written without them.
    public var statistics: FitStatistics?
    /// The numerical rank of the Jacobian over the free parameters at θ (`ParameterCovariance.rank`):
    /// below their number when some combination of them is not determined. Nil for a fit read from a file.
    public var rank: Int?
    /// m − p, the observations less the free parameters (what σ̂² divides by). Nil for a fit
    /// read from a file.
    public var degreesOfFreedom: Int?

    /// The search's counts.
    public struct SearchCounts: Sendable, Equatable, Codable {
        /// Starts in the law's grid.
        public var startsTried: Int
        /// Screening ends run on to convergence (every start for laws searched start by start).
        public var startsPolished: Int
        /// Polished runs that met a convergence test.
        public var startsConverged: Int
        /// Starts (polished ones, for a screened search) whose final cost is within the
        /// multistart's at-best tolerance of the best: several at the best means the optimum
        /// stands out. 0 for a fit read from a file.
        public var startsAtBest: Int
        /// The start whose run won (its index in the grid).
        public var bestStart: Int
        /// Starts whose first run (the screening run of a screened search, the only run
        /// otherwise) ended within the at-best tolerance of the winner's final cost: how many
        /// of the grid's starts lead into the winning basin. 0 for a fit read from a file.
        public var screenedAtBest: Int = 0
        /// Of a staged search (polished on a reduced problem: a coarser schedule, or a dense
        /// log's knots), the polished ends run on to convergence on the problem itself; 0 when
        /// the polish ran on the problem itself.
        public var startsRefined: Int = 0
    }

    /// Fits `law` to `data`: the law's grid searched by its `search`, the covariance at the
    /// winner, the diagnostics.
    /// - Throws: `ScaleFitError.fitFailed` when no start gives a finite fit.
    public init(_ law: L, to data: L.Observations) throws {
        let problem = try law.problem(for: data)
        let starts = law.starts(for: data)
        let bounds = law.bounds(for: data)
        guard !starts.isEmpty else { throw ScaleFitError.fitFailed(reason: "the \(L.identifier) law has no starting points for these data") }
        let free = problem.parameterCount - (law.fixed?.filter { $0 }.count ?? 0)
        guard problem.residualCount >= free else {
            throw ScaleFitError.fitFailed(reason: "the \(L.identifier) law has \(free) free parameters; \(problem.residualCount) points cannot determine them")
        }
        let best: SolverResult
        switch law.search {
        case let .screened(evaluations, functionTolerance, selection, options):
            let staged = try law.stagedProblems(problem)
            let found = try ScreenedMultiStart(options: options, screeningEvaluations: evaluations,
                                               screeningFunctionTolerance: functionTolerance, selection: selection,
                                               threads: Self.workers(starts: starts.count, residuals: problem.residualCount))
                .minimize(problem, screeningProblem: try staged?.screening ?? law.screeningProblem(for: data),
                          reducedProblem: staged?.reduced, starts: starts, bounds: bounds, fixed: law.fixed)
            best = found.best
            // The screening's costs are on its own problem: counted against the polish's best
            // (for a staged search, the reduced problem's best polished cost).
            search = SearchCounts(startsTried: found.startCount, startsPolished: found.polishedStarts.count,
                                  startsConverged: found.polishedConverged, startsAtBest: found.polishedAtBest,
                                  bestStart: found.bestStart, screenedAtBest: found.screening.startsAt(cost: found.refined == nil ? found.best.cost : found.polished.best.cost),
                                  startsRefined: found.refined?.finalCosts.count ?? 0)
        case let .everyStart(options):
            let found = try MultiStart(solver: LevenbergMarquardt(options: options))
                .minimize(problem, starts: starts, bounds: bounds, fixed: law.fixed)
            best = found.best
            search = SearchCounts(startsTried: starts.count, startsPolished: starts.count,
                                  startsConverged: found.converged.filter { $0 }.count, startsAtBest: found.startsAtBest,
                                  bestStart: found.bestStart, screenedAtBest: found.startsAtBest)
        }
        let cov = try ParameterCovariance(result: best)
        self.law = law
        parameters = best.parameters
        covariance = cov.scaled
        standardErrors = cov.standardErrors
        rank = cov.rank
        degreesOfFreedom = cov.degreesOfFreedom
        objective = best.cost
        summary = best.summary
        self.data = data.summary
        settings = law.fileSettings(for: data)
        bootstrap = nil
        noise = nil
        statistics = try? FitStatistics(result: best, names: law.reportedParameters.map(\.name), scale: law.residualScale)
        variables = law.fileVariables(for: data)
        let observed = data.observed
        let fitted = law.fitted(data, parameters: best.parameters)
        goodness = observed.isEmpty || observed.count != fitted.count || fitted.contains { !($0 > 0) }
            ? nil : GoodnessOfFit(observed: observed, fitted: fitted)
        diagnostics = FitDiagnostic.diagnose(names: law.parameterNames, parameters: best.parameters,
                                             standardErrors: cov.standardErrors, fixed: best.fixed,
                                             bounds: bounds, summary: best.summary, rank: cov.rank,
                                             freeParameters: cov.freeParameters, goodness: goodness,
                                             covariance: cov.scaled, logScale: law.reportedParameters.map(\.exponentiated))
    }

    /// Worker threads for a screened search: up to 64 balance many cheap starts, but each
    /// worker keeps its best run's residuals and Jacobian, so on large data (above 10⁵
    /// residuals) as many as cores.
    static func workers(starts: Int, residuals: Int) -> Int {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        return residuals > 100_000 ? cores : max(cores, min(starts, 64))
    }

    /// The parameters' names, in the order of θ.
    public var parameterNames: [String] { law.parameterNames }

    /// The parameters as reports show them (Chinchilla's E, A, B rather than their logs),
    /// each with its standard error (by the delta method for an exponentiated one).
    public var estimates: [ParameterEstimate] {
        law.reportedParameters.enumerated().map { j, p in
            p.exponentiated
                ? ParameterEstimate(name: p.name, estimate: exp(parameters[j]), standardError: exp(parameters[j]) * standardErrors[j])
                : ParameterEstimate(name: p.name, estimate: parameters[j], standardError: standardErrors[j])
        }
    }

    /// The correlation matrix of θ (NaN where a standard error is zero or infinite).
    public var correlation: Matrix { ParameterCovariance.correlation(covariance, standardErrors: standardErrors) }

    /// True when the solver converged and no diagnostic was raised.
    public var isSound: Bool { (summary?.converged ?? true) && diagnostics.isEmpty }

    /// θ by name.
    public subscript(name: String) -> Double? {
        parameterNames.firstIndex(of: name).map { parameters[$0] }
    }

    /// The law's predictions at `query`, each with the confidence band at `level` that the
    /// parameter uncertainty gives (the delta method on log ŷ) and, when `noise` is known,
    /// the prediction interval for an observation there (see `Prediction`).
    public func predict(_ query: L.Query, level: Double = 0.95) throws -> [Prediction] {
        let values = try law.evaluate(query, parameters: parameters)
        // The leave-one-group-out fits' predictions at the same query (`PredictionNoise.foldSpread`).
        let folds = try (noise?.foldParameters ?? []).filter { $0.count == parameters.count }
            .map { try law.values(query, parameters: $0) }
        // Past the last fitted step, the horizon term (loss-curve laws).
        let steps = (query as? CurveQuery)?.steps
        return values.indices.map { j in
            Prediction(values[j], covariance: covariance, level: level, noise: noise,
                       foldValues: folds.count >= 2 ? folds.map { $0[j] } : nil,
                       extraVariance: steps.flatMap { s in noise?.horizonVariance(atStep: s[j]) } ?? 0)
        }
    }
}

/// A predicted value with its confidence band and, when the fit's noise is known, its
/// prediction interval.
///
/// The band (`lower`, `upper`) is the delta method on the scale the law was fitted on: with
/// g = ∂log ŷ/∂θ and Σ the fit's covariance, sd = √(gᵀΣg) and the band is ŷ·exp(±z·sd), z
/// the normal quantile of `level` (a formula fitted on y itself: g = ∂ŷ/∂θ and ŷ ± z·sd).
/// It covers **the law's value** at the query (where the fitted law would be with other
/// draws of the same data), not one new observation.
///
/// The prediction interval (`predictionLower`, `predictionUpper`) covers **an observed
/// value** there: ŷ·exp(±z·√(max(sd², V_J) + σ² + V_H)), σ the fit's `PredictionNoise.sigma`
/// (the residual scatter, or the leave-one-group-out error when larger), V_J the jackknife
/// variance of the leave-one-group-out fits' predictions at the query
/// (`PredictionNoise.foldSpread`; 0 when the noise has no folds) and V_H the horizon term of
/// a loss-curve prediction past the last fitted step (`PredictionNoise.horizonVariance`). Without a noise estimate
/// it is the band itself and `hasNoise` is false.
public struct Prediction: Sendable, Equatable, Codable {
    /// ŷ, the law's value at the query.
    public var value: Double
    /// The interval's lower end (NaN when it cannot be formed).
    public var lower: Double
    /// The interval's upper end (NaN when it cannot be formed).
    public var upper: Double
    /// The coverage the interval is built for (0.95 by default).
    public var level: Double
    /// Whether the interval is multiplicative (log scale) or additive (linear).
    public var scale: LawValue.Scale
    /// √(gᵀΣg): the standard error of log ŷ (log scale) or of ŷ (linear).
    public var standardError: Double
    /// The prediction interval's ends (the band's when there is no noise estimate).
    public var predictionLower: Double
    /// The prediction interval's upper end.
    public var predictionUpper: Double
    /// Whether the prediction interval includes a noise estimate.
    public var hasNoise: Bool
    /// √V_J, the spread of the leave-one-group-out fits' predictions here, on the same scale
    /// as `standardError` (nil without folds).
    public var foldStandardError: Double?

    /// ŷ with its interval from `covariance` on the scale of `v.gradient`; NaN bounds when
    /// the variance is not finite (or, on the log scale, ŷ is not positive).
    /// `foldValues` are the predictions of the noise's fold parameters at the same query.
    /// `extraVariance` is added to the prediction interval's variance (the horizon term of a
    /// loss-curve law past its last fitted step, `PredictionNoise.horizonVariance(atStep:)`).
    public init(_ v: LawValue, covariance: Matrix, level: Double = 0.95, noise: PredictionNoise? = nil,
                foldValues: [Double]? = nil, extraVariance: Double = 0) {
        let g = v.gradient, n = g.count
        var variance = 0.0
        for i in 0..<n where g[i] != 0 { for j in 0..<n where g[j] != 0 { variance += g[i] * covariance[i, j] * g[j] } }
        let sd = variance >= 0 ? variance.squareRoot() : .nan
        let z = level == 0.95 ? Self.z95 : normalQuantile((1 + level) / 2)
        value = v.value
        self.level = level
        scale = v.scale
        standardError = sd
        (lower, upper) = Self.interval(v.value, sd: sd, z: z, scale: v.scale)
        let sigma = noise.map(\.sigma) ?? 0
        hasNoise = noise != nil && sigma.isFinite
        let spread = hasNoise ? foldValues.flatMap { PredictionNoise.foldSpread($0, scale: v.scale) } : nil
        foldStandardError = spread.map { $0.squareRoot() }
        let extra = extraVariance.isFinite ? max(0, extraVariance) : 0
        let total = hasNoise ? (max(sd * sd, spread ?? 0) + sigma * sigma + extra).squareRoot() : sd
        (predictionLower, predictionUpper) = Self.interval(v.value, sd: total, z: z, scale: v.scale)
    }

    /// Φ⁻¹(0.975), the 95% level's z, found once.
    static let z95 = normalQuantile(0.975)

    static func interval(_ value: Double, sd: Double, z: Double, scale: LawValue.Scale) -> (Double, Double) {
        guard sd.isFinite else { return (.nan, .nan) }
        if scale == .linear { return (value - z * sd, value + z * sd) }
        return value > 0 ? (value * exp(-z * sd), value * exp(z * sd)) : (.nan, .nan)
    }

    /// (lower, upper).
    public var interval: (lower: Double, upper: Double) { (lower, upper) }
}

/// The standard normal quantile Φ⁻¹(p), 0 < p < 1: Newton's method on erf from 0, to the
/// last bits (Φ⁻¹(0.975) = 1.959963984540054).
func normalQuantile(_ p: Double) -> Double {
    guard p > 0, p < 1 else { return p <= 0 ? -.infinity : .infinity }
    var z = 0.0
    for _ in 0..<100 {
        let f = 0.5 * erfc(-z / 2.0.squareRoot()) - p
        let slope = exp(-0.5 * z * z) / (2 * Double.pi).squareRoot()
        let step = f / slope
        z -= step
        if abs(step) <= 1e-16 * max(abs(z), 1) { break }
    }
    return z
}
