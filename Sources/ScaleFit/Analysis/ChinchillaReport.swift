import Foundation

/// What a Chinchilla fit tells a user: the parameters in their natural form with standard
/// errors (delta method from the log-space covariance: se(E) = E·se(e), likewise A, B),
/// the objective reached, goodness of fit, the compute-optimal allocation for a budget, and
/// the per-run residual table.
package struct ChinchillaReport: Sendable, Codable, Equatable {
    package struct Run: Sendable, Codable, Equatable {
        package var line: Int
        package var label: String
        package var parameters: Double
        package var tokens: Double
        package var observed: Double
        package var fitted: Double
        package var residual: Double
        package var relativeResidual: Double
    }

    package var law: String
    package var formula: String
    package var objective: String
    package var parameters: [ParameterEstimate]
    /// Σ Huber_δ(log residual) at the optimum.
    package var objectiveValue: Double
    /// Starts screened.
    package var starts: Int
    /// Distinct screening end points run to convergence, and how many of them reached the
    /// best objective (within 1e-9 relative): several at the best means the optimum stands out.
    package var polished: Int
    package var polishedAtBest: Int
    package var summary: FitSummary
    /// √mean((L̂ − L)²).
    package var rmse: Double
    /// mean |L̂ − L| / L.
    package var meanAbsoluteRelativeError: Double
    package var rSquared: Double
    package var rSquaredLog: Double
    package var runs: [Run]
    /// What makes the fit unsound (`FitDiagnostic` descriptions); empty when it is sound.
    package var diagnostics: [String]
    /// AIC, BIC, reduced χ² and the parameters' correlation (`FitStatistics`).
    package var statistics: FitStatistics

    /// The report of `fit`, Chinchilla's law fitted to `runs` (`Fit(ChinchillaLaw(…), to: runs)`;
    /// the residual table takes each run's line and label from `runs`). The estimates and
    /// their standard errors are the fit's (`Fit.estimates`), the diagnostics and statistics
    /// too; the objective is Σ Huber_δ(log residual) summed directly at θ, as Hoffmann et al.
    /// and Epoch AI report it (the solver's ½Σρ(r²) is the same sum to rounding), and the
    /// fitted losses are E + A/N^α + B/D^β.
    /// - Throws: `ScaleFitError.fitFailed` for a fit without its solver summary or statistics
    ///   (one read back from a file rather than fitted).
    package init(fit: Fit<ChinchillaLaw>, runs: ModelRuns) throws {
        guard let summary = fit.summary, let statistics = fit.statistics else {
            throw ScaleFitError.fitFailed(reason: "a Chinchilla report needs the fit itself, with its solver summary and statistics, not one read from a file")
        }
        let l = fit.values
        let (n, d, loss) = (runs.N, runs.D, runs.loss)
        law = ChinchillaLaw.identifier
        formula = ChinchillaLaw.formula
        switch fit.law.loss {
        case let .huber(delta):
            objective = "sum of Huber(delta=\(delta)) of log residuals, LSE form (Hoffmann et al. 2022)"
            objectiveValue = ChinchillaLogProblem(parameters: n, tokens: d, loss: loss).huberObjective(at: fit.parameters, delta: delta)
        case let other:
            objective = "\(other.spec) on log residuals, LSE form"
            objectiveValue = fit.objective
        }
        parameters = fit.estimates
        starts = fit.search.startsTried
        polished = fit.search.startsPolished
        polishedAtBest = fit.search.startsAtBest
        self.summary = summary
        let fitted = zip(n, d).map { l.loss(parameters: $0, tokens: $1) }
        let goodness = GoodnessOfFit(observed: loss, fitted: fitted)
        rmse = goodness.rmse
        meanAbsoluteRelativeError = goodness.meanAbsoluteRelativeError
        rSquared = goodness.rSquared
        rSquaredLog = goodness.rSquaredLog
        diagnostics = fit.diagnostics.map(\.description)
        self.statistics = statistics
        self.runs = loss.indices.map { i in
            Run(line: runs.lines[i], label: runs.labels[i], parameters: n[i], tokens: d[i], observed: loss[i],
                fitted: fitted[i], residual: fitted[i] - loss[i], relativeResidual: (fitted[i] - loss[i]) / loss[i])
        }
    }
}
