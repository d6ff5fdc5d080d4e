import Foundation

/// What a least-squares fit of a power law or Kaplan's law tells a user: the parameters in
/// their natural form with standard errors, the cost reached, goodness of fit, the solver's
/// summary and the per-run residual table.
///
/// Standard errors come from the covariance of the fitted parameters (`ParameterCovariance`,
/// σ̂²·(JᵀJ)⁺ at the optimum); a parameter fitted as a logarithm (a = log A, n_c = log N_c)
/// is reported as its exponential with the delta-method error se(A) = A·se(a).
package struct LawFitReport: Sendable, Codable, Equatable {
    /// A run of the residual table; its inputs are in the order of `inputNames`.
    package typealias Run = ResidualRow

    package var law: String
    package var formula: String
    package var objective: String
    /// The input columns, in the order of each run's `inputs`.
    package var inputNames: [String]
    package var parameters: [ParameterEstimate]
    /// ½·Σρ(rᵢ²) at the optimum, rᵢ the log-loss residuals.
    package var cost: Double
    package var starts: Int
    /// Starts whose run ended within 1e-9 relative of the best cost.
    package var startsAtBest: Int
    package var summary: FitSummary
    /// √mean((L̂ − L)²).
    package var rmse: Double
    /// mean |L̂ − L| / L.
    package var meanAbsoluteRelativeError: Double
    /// 1 − Σ(L̂ − L)² / Σ(L − L̄)².
    package var rSquared: Double
    /// The same in log L.
    package var rSquaredLog: Double
    package var runs: [Run]
    /// What makes the fit unsound (`FitDiagnostic` descriptions); empty when it is sound.
    package var diagnostics: [String]
    /// The bootstrap over runs, when one was made (`Bootstrap`'s intervals and draws).
    package var bootstrap: Bootstrap?
    /// AIC, BIC, reduced χ² and the parameters' correlation (`FitStatistics`).
    package var statistics: FitStatistics

    /// The report of `fit`, made to `data`: the estimates as the law reports them, the
    /// diagnostics `Fit` found, and a residual row per run (`inputs` in the order of
    /// `inputNames`, from the file's `lines`, named by `labels`).
    /// - Throws: `fitFailed` for a fit read from a file (it has no solver summary to report).
    package init<L: Law>(_ fit: Fit<L>, data: L.Observations, formula: String, inputNames: [String], inputs: [[Double]],
                         lines: [Int], labels: [String]) throws {
        guard let summary = fit.summary, let statistics = fit.statistics else {
            throw ScaleFitError.fitFailed(reason: "the \(L.identifier) report needs a fit made here, not one read from a file")
        }
        law = L.identifier
        self.formula = formula
        objective = fit.law.loss == .l2 ? "least squares on log residuals log(fitted) - log(observed)"
            : "sum of \(fit.law.loss.spec) of log residuals log(fitted) - log(observed)"
        self.inputNames = inputNames
        parameters = fit.estimates
        cost = fit.objective
        starts = fit.search.startsTried
        startsAtBest = fit.search.startsAtBest
        self.summary = summary
        let loss = data.observed
        let fitted = fit.law.fitted(data, parameters: fit.parameters)
        let goodness = GoodnessOfFit(observed: loss, fitted: fitted)
        rmse = goodness.rmse
        meanAbsoluteRelativeError = goodness.meanAbsoluteRelativeError
        rSquared = goodness.rSquared
        rSquaredLog = goodness.rSquaredLog
        diagnostics = fit.diagnostics.map(\.description)
        bootstrap = fit.bootstrap
        self.statistics = statistics
        runs = loss.indices.map { i in
            Run(line: lines[i], label: labels[i], inputs: inputs[i], observed: loss[i], fitted: fitted[i],
                residual: fitted[i] - loss[i], relativeResidual: (fitted[i] - loss[i]) / loss[i])
        }
    }
}
