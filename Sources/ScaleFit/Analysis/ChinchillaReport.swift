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

    package init(fit: ChinchillaFit, parameters n: [Double], tokens d: [Double], loss: [Double],
                lines: [Int], labels: [String], delta: Double) throws {
        let cov = try ParameterCovariance(result: fit.best)
        let l = fit.law
        let natural = [l.E, l.A, l.B, l.alpha, l.beta]
        let scale = [l.E, l.A, l.B, 1, 1]
        law = ChinchillaLaw.identifier
        formula = ChinchillaLaw.formula
        objective = "sum of Huber(delta=\(delta)) of log residuals, LSE form (Hoffmann et al. 2022)"
        parameters = ["E", "A", "B", "alpha", "beta"].indices.map {
            ParameterEstimate(name: ["E", "A", "B", "alpha", "beta"][$0], estimate: natural[$0],
                      standardError: scale[$0] * cov.standardErrors[$0])
        }
        objectiveValue = fit.objective
        starts = fit.search.startCount
        polished = fit.search.polishedStarts.count
        polishedAtBest = fit.search.polishedAtBest
        summary = fit.best.summary
        let fitted = zip(n, d).map { l.loss(parameters: $0, tokens: $1) }
        let goodness = GoodnessOfFit(observed: loss, fitted: fitted)
        rmse = goodness.rmse
        meanAbsoluteRelativeError = goodness.meanAbsoluteRelativeError
        rSquared = goodness.rSquared
        rSquaredLog = goodness.rSquaredLog
        diagnostics = FitDiagnostic.diagnose(fit.best, names: ChinchillaLaw.parameterNames, bounds: nil, goodness: goodness,
                                             logScale: [true, true, true, false, false])
            .map(\.description)
        statistics = try FitStatistics(result: fit.best, names: ["E", "A", "B", "alpha", "beta"], scale: .log)
        runs = loss.indices.map { i in
            Run(line: lines[i], label: labels[i], parameters: n[i], tokens: d[i], observed: loss[i],
                fitted: fitted[i], residual: fitted[i] - loss[i], relativeResidual: (fitted[i] - loss[i]) / loss[i])
        }
    }
}
