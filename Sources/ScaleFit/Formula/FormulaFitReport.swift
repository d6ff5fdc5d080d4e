import Foundation

/// What a formula fit tells a user: the parameters with standard errors, the goodness of
/// fit, the solver's summary and the per-row residual table.
///
/// ```
/// residual     rᵢ = ŷᵢ − yᵢ                 (fitted minus observed)
/// RSS          Σ rᵢ²
/// RMSE         √(RSS / m)
/// R²           1 − RSS / Σ(yᵢ − ȳ)²
/// rel. error   mean |rᵢ| / |yᵢ|              (over rows with yᵢ ≠ 0)
/// ```
package struct FormulaFitReport: Sendable, Codable, Equatable {
    /// A row of the residual table; its inputs are the variables' values, in `variables` order.
    package typealias Row = ResidualRow

    /// The formula in canonical form.
    package var formula: String
    package var variables: [String]
    /// The loss as a spec string (`l2`, `huber:0.01`, …).
    package var loss: String
    package var parameters: [ParameterEstimate]
    package var summary: FitSummary
    package var starts: Int
    /// Starts that reached the best cost (within 1e-9 relative).
    package var startsAtBest: Int
    package var observations: Int
    package var degreesOfFreedom: Int
    /// Numerical rank of the Jacobian at the optimum; below `parameters.count` some
    /// combination of parameters is not determined by the data.
    package var rank: Int
    package var residualSumOfSquares: Double
    package var rmse: Double
    package var rSquared: Double
    package var meanAbsoluteRelativeError: Double
    package var rows: [Row]

    /// The report of `fit`; `lines` and `labels` name each row (one entry per row).
    /// What makes the fit unsound (`FitDiagnostic` descriptions); empty when it is sound.
    package var diagnostics: [String]
    /// AIC, BIC, reduced χ² and the parameters' correlation (`FitStatistics`).
    package var statistics: FitStatistics
    /// The bootstrap over rows, when one was made (`Bootstrap`'s intervals and draws).
    package var bootstrap: Bootstrap?

    package init(fit: FormulaFit, lines: [Int], labels: [String]) {
        let m = fit.observed.count
        precondition(lines.count == m && labels.count == m, "one line and one label per row")
        formula = fit.model.canonicalFormula
        variables = fit.model.variableNames
        loss = fit.loss.spec
        parameters = fit.model.parameterNames.indices.map {
            ParameterEstimate(name: fit.model.parameterNames[$0], estimate: fit.parameters[$0],
                              standardError: fit.covariance.standardErrors[$0])
        }
        summary = fit.best.summary
        diagnostics = FitDiagnostic.diagnose(names: fit.model.parameterNames, parameters: fit.parameters,
                                             standardErrors: fit.covariance.standardErrors, fixed: fit.best.fixed,
                                             bounds: fit.bounds, summary: fit.best.summary, rank: fit.covariance.rank,
                                             freeParameters: fit.covariance.freeParameters, goodness: nil,
                                             covariance: fit.covariance.scaled).map(\.description)
        starts = fit.multiStart.finalCosts.count
        startsAtBest = fit.multiStart.startsAtBest
        observations = m
        degreesOfFreedom = fit.covariance.degreesOfFreedom
        rank = fit.covariance.rank
        let fitted = fit.fitted, residuals = fit.best.residuals
        let mean = fit.observed.reduce(0, +) / Double(max(m, 1))
        var rss = 0.0, tss = 0.0, relative = 0.0, relativeCount = 0
        rows = []
        for i in 0..<m {
            let y = fit.observed[i], r = residuals[i]
            rss += r * r
            tss += (y - mean) * (y - mean)
            if y != 0 { relative += abs(r) / abs(y); relativeCount += 1 }
            rows.append(Row(line: lines[i], label: labels[i], inputs: fit.inputs.map { $0[i] }, observed: y,
                            fitted: fitted[i], residual: r, relativeResidual: y != 0 ? r / abs(y) : .nan))
        }
        residualSumOfSquares = rss
        rmse = (rss / Double(max(m, 1))).squareRoot()
        rSquared = 1 - rss / tss
        meanAbsoluteRelativeError = relativeCount > 0 ? relative / Double(relativeCount) : .nan
        bootstrap = nil
        statistics = FitStatistics(residuals: residuals, freeParameters: fit.covariance.freeParameters, loss: fit.loss,
                                   covariance: fit.covariance.scaled, standardErrors: fit.covariance.standardErrors,
                                   names: fit.model.parameterNames, scale: .linear)
    }
}
